// The one protocol of SPEC §3–§5: state shape, commands, error and close codes, with the zod
// schemas the server applies at its boundary. No event name or error code is spelled elsewhere.
import { z } from 'zod'
import { ID_PATTERN, LIMITS, normalizeCode } from './limits.js'
import { lineSchema, textSchema } from './text.js'

export const PROTOCOL = 1

export const ERROR_STATUS = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ENDED: 410,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const
export type ErrorCode = keyof typeof ERROR_STATUS
export type ErrorBody = { code: ErrorCode; message: string }
export type ApiError = { error: ErrorBody }

/** WebSocket close codes of SPEC §5. */
export const CLOSE = {
  MALFORMED: 4400,
  REVOKED: 4401,
  FORBIDDEN: 4403,
  DELETED: 4404,
  MISSING_DEPS: 4409,
  TOO_LARGE: 4413,
} as const
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]

export type Locale = 'ja' | 'en'
export const LOCALES: readonly Locale[] = ['ja', 'en']

export type PhaseKind = 'checkin' | 'story' | 'values' | 'purpose' | 'connect' | 'share' | 'commit' | 'close'

export type Phase = { id: string; kind: PhaseKind | string; title: string; prompt: string; durationSec: number }

export type TimerStatus = 'idle' | 'running' | 'paused' | 'done'
export type Timer = { status: TimerStatus; endsAt: number | null; remainingMs: number }

export type Focus = { x: number; y: number; zoom: number }

export type RosterEntry = {
  participantId: string
  name: string
  color: string
  online: boolean
  ready: boolean
  group: number | null
}

export type WorkshopState = {
  protocol: 1
  code: string
  title: string
  locale: Locale
  template: string
  phases: Phase[]
  phaseIndex: number
  timer: Timer
  locked: boolean
  ended: boolean
  focus: Focus | null
  roster: RosterEntry[]
  serverTime: number
}

// ---- HTTP ------------------------------------------------------------------------------------

export const createWorkshopSchema = z.object({
  title: lineSchema(LIMITS.title),
  locale: z.enum(['ja', 'en']).default('ja'),
  template: z.string().max(64).default('my-purpose'),
  vision: z
    .array(z.object({ title: lineSchema(LIMITS.title), body: textSchema(LIMITS.visionBody).optional() }))
    .min(LIMITS.visionMin)
    .max(LIMITS.visionMax),
})
export type CreateWorkshopRequest = z.input<typeof createWorkshopSchema>
export type CreateWorkshopResponse = { code: string; facilitatorToken: string; joinUrl: string; facilitatorUrl: string }

export type WorkshopInfo = {
  code: string
  /** Extension: the link participants join by (PUBLIC_URL, else the origin asked). */
  joinUrl?: string
  title: string
  locale: Locale
  phase: { index: number; title: string }
  participantCount: number
  ended: boolean
}

export const joinSchema = z.object({ name: lineSchema(LIMITS.name) })
export type JoinResponse = { participantId: string; participantToken: string; color: string }

export type MeResponse = {
  role: 'facilitator' | 'participant'
  code: string
  participantId?: string
  name?: string
}

// ---- socket.io -------------------------------------------------------------------------------

const int = z.number().int()
const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' })
const empty = z.object({}).strict().optional()

export const commandSchemas = {
  'phase:goto': z.object({ index: int.min(0) }).strict(),
  'phase:update': z
    .object({
      index: int.min(0),
      title: lineSchema(LIMITS.title).optional(),
      prompt: textSchema(LIMITS.prompt).optional(),
      durationSec: int.min(LIMITS.durationMinSec).max(LIMITS.durationMaxSec).optional(),
    })
    .strict(),
  'timer:start': z.object({ seconds: int.min(1).max(LIMITS.timerMaxSec) }).strict(),
  'timer:pause': empty,
  'timer:resume': empty,
  'timer:add': z.object({ seconds: int.min(-LIMITS.timerAddMaxSec).max(LIMITS.timerAddMaxSec) }).strict(),
  'board:lock': z.object({ locked: z.boolean() }).strict(),
  'focus:set': z
    .object({ x: finite, y: finite, zoom: finite.pipe(z.number().min(LIMITS.zoomMin).max(LIMITS.zoomMax)) })
    .strict()
    .nullable(),
  'groups:make': z.object({ size: int.min(LIMITS.groupMin).max(LIMITS.groupMax) }).strict(),
  'participant:remove': z.object({ participantId: z.string().max(64) }).strict(),
  'workshop:end': empty,
  'ready:set': z.object({ ready: z.boolean() }).strict(),
} as const

export type CommandName = keyof typeof commandSchemas
export type CommandPayload<C extends CommandName> = z.output<(typeof commandSchemas)[C]>
export const COMMANDS = Object.keys(commandSchemas) as CommandName[]

/** Commands a participant may send; every other one is the facilitator's. */
export const PARTICIPANT_COMMANDS: readonly CommandName[] = ['ready:set']

export type Ack = { ok: true } | { ok: false; error: ErrorBody }

export const STATE_EVENT = 'state'

export type ServerToClientEvents = {
  state: (state: WorkshopState) => void
}
export type ClientToServerEvents = {
  [C in CommandName]: (payload: z.input<(typeof commandSchemas)[C]>, ack: (a: Ack) => void) => void
}

// ---- Yjs rooms -------------------------------------------------------------------------------

export const YJS_PATH = '/yjs'

export type RoomName = { kind: 'board'; code: string } | { kind: 'notebook'; code: string; participantId: string }

export function boardRoom(code: string): string {
  return code
}
export function notebookRoom(code: string, participantId: string): string {
  return `${code}/notebook/${participantId}`
}

/** Parses a Yjs room name (the path after `/yjs/`); room codes are case-insensitive. */
export function parseRoom(name: string): RoomName | null {
  const parts = name.split('/')
  const code = normalizeCode(parts[0] ?? '')
  if (!code) return null
  if (parts.length === 1) return { kind: 'board', code }
  if (parts.length === 3 && parts[1] === 'notebook' && ID_PATTERN.test(parts[2]!)) {
    return { kind: 'notebook', code, participantId: parts[2]! }
  }
  return null
}

export function roomName(room: RoomName): string {
  return room.kind === 'board' ? boardRoom(room.code) : notebookRoom(room.code, room.participantId)
}
