// Every bound of SPEC §2–§5 in one place; server checks and client inputs read them from here.
export const LIMITS = {
  title: 120,
  visionMin: 1,
  visionMax: 20,
  visionBody: 1000,
  name: 40,
  prompt: 1000,
  durationMinSec: 60,
  durationMaxSec: 7200,
  timerMaxSec: 7200,
  timerAddMaxSec: 3600,
  groupMin: 2,
  groupMax: 8,
  zoomMin: 0.1,
  zoomMax: 10,

  // board
  checkin: 40,
  valueText: 60,
  valuesMax: 10,
  purpose: 300,
  linksMax: 20,
  reason: 200,
  commitment: 300,
  autonomy: 300,

  // notebook
  storyMax: 30,
  storyWhen: 20,
  storyText: 300,
  levelMin: -5,
  levelMax: 5,
  draft: 1000,
  draftsMax: 40,
  cardsMax: 120,
  customLabel: 60,

  // transport
  httpBodyBytes: 256 * 1024,
  wsMessageBytes: 1024 * 1024,
  socketPayloadBytes: 64 * 1024,
  boardDocBytes: 8 * 1024 * 1024,
  notebookDocBytes: 2 * 1024 * 1024,
  awarenessBytes: 4 * 1024,
  idMin: 8,
  idMax: 32,
} as const

export const ROOM_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const ROOM_CODE_LENGTH = 6

export const ID_PATTERN = /^[A-Za-z0-9_-]{8,32}$/

/** URL-safe ids of SPEC §2, never the literal `purpose` (it names the purpose as a link source). */
export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id) && id !== 'purpose'
}

export function normalizeCode(code: string): string | null {
  const c = code.trim().toUpperCase()
  if (c.length !== ROOM_CODE_LENGTH) return null
  for (const ch of c) if (!ROOM_CODE_ALPHABET.includes(ch)) return null
  return c
}
