// Tokens live in localStorage under a key per room code and role (SPEC §2), so a refresh keeps
// the identity and one browser can be a facilitator and a participant of the same room at once.
export type ParticipantCredentials = { participantId: string; token: string }

const memory = new Map<string, string>()

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return memory.get(key) ?? null
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key)
    else window.localStorage.setItem(key, value)
  } catch {
    if (value === null) memory.delete(key)
    else memory.set(key, value)
  }
}

export const tokenKey = (code: string, role: 'participant' | 'facilitator') => `kasane:${code.toUpperCase()}:${role}`

export function loadParticipant(code: string): ParticipantCredentials | null {
  const raw = read(tokenKey(code, 'participant'))
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as Partial<ParticipantCredentials>
    return typeof v.participantId === 'string' && typeof v.token === 'string' ? { participantId: v.participantId, token: v.token } : null
  } catch {
    return null
  }
}

export const saveParticipant = (code: string, c: ParticipantCredentials) => write(tokenKey(code, 'participant'), JSON.stringify(c))
export const clearParticipant = (code: string) => write(tokenKey(code, 'participant'), null)

export const loadFacilitator = (code: string): string | null => read(tokenKey(code, 'facilitator'))
export const saveFacilitator = (code: string, token: string) => write(tokenKey(code, 'facilitator'), token)
export const clearFacilitator = (code: string) => write(tokenKey(code, 'facilitator'), null)

/** Takes `#token=…` from the address, stores it and removes it from the visible URL and history. */
export function takeFragmentToken(code: string): string | null {
  const hash = window.location.hash.replace(/^#/, '')
  const token = new URLSearchParams(hash).get('token')
  if (!token) return null
  saveFacilitator(code, token)
  const url = window.location.pathname + window.location.search
  window.history.replaceState(window.history.state, '', url)
  return token
}

/** The join link the server gave at creation (it knows PUBLIC_URL); the page's origin otherwise. */
export const saveJoinUrl = (code: string, url: string) => write(`kasane:${code.toUpperCase()}:joinUrl`, url)
export function joinUrlFor(code: string): string {
  return read(`kasane:${code.toUpperCase()}:joinUrl`) ?? `${window.location.origin}/j/${code.toUpperCase()}`
}
