// Awareness a connection may set (SPEC §5): only for the client id it owns, only as itself, small,
// and in the shape Kasane's clients read. Everything else is dropped, not relayed.
//
// Ownership: a connection owns the first client id for which it announces a valid state, unless
// another connection or another identity's document writes already hold that id. Stock
// y-websocket providers rebroadcast every awareness change they see, others' included, so entries
// for ids a connection does not own are normal and dropped one by one, never the whole message.
//
// Wire format (y-protocols/awareness): varUint count, then per entry varUint clientID, varUint
// clock, varString JSON state (null when the client left).
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { LIMITS } from '../../shared/limits.js'
import { isCleanLine, withinLimit } from '../../shared/text.js'
import type { Identity } from './identity.js'

/** The entries to apply and relay, and the client ids they are for (now all owned by the connection). */
export type FilteredAwareness = { update: Uint8Array; clientIds: number[] }

/**
 * @param own the client ids this connection already owns (the room adds the returned ones)
 * @param claimedElsewhere whether another connection of the room, or another identity's document
 *   writes, hold a client id
 * @returns null when nothing is left (or the message is malformed)
 */
export function filterAwareness(
  update: Uint8Array,
  who: Identity,
  own: ReadonlySet<number>,
  claimedElsewhere: (clientId: number) => boolean,
): FilteredAwareness | null {
  const kept: { id: number; clock: number; json: Uint8Array }[] = []
  let claimed: number | null = null
  /** Whether the message holds exactly the kept entries, as they are: it is then relayed as received. */
  let asReceived = true
  try {
    const d = decoding.createDecoder(update)
    const count = decoding.readVarUint(d)
    // Each entry takes at least three bytes, so a hostile count ends at the end of the message.
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(d)
      const clock = decoding.readVarUint(d)
      const json = decoding.readVarUint8Array(d)
      if (json.length > LIMITS.awarenessBytes) continue
      const state = parse(json)
      if (state === undefined || !isState(state, who)) continue
      const mine = own.has(id) || id === claimed
      if (!mine) {
        // Only a live state announces a client; a removal for someone else's id is just dropped.
        if (own.size > 0 || claimed !== null || state === null || claimedElsewhere(id)) continue
        claimed = id
      }
      if (state === null && !isNull(json)) asReceived = false
      kept.push({ id, clock, json: state === null ? NULL_STATE : json })
    }
    asReceived &&= kept.length === count && d.pos === update.length
  } catch {
    return null
  }
  if (kept.length === 0) return null
  const clientIds = [...new Set(kept.map((k) => k.id))]
  // The usual message, one client's own state: nothing to rewrite.
  if (asReceived) return { update, clientIds }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, kept.length)
  for (const k of kept) {
    encoding.writeVarUint(e, k.id)
    encoding.writeVarUint(e, k.clock)
    encoding.writeVarUint8Array(e, k.json) // the same bytes as writeVarString of the JSON
  }
  return { update: encoding.toUint8Array(e), clientIds }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
/** A removal is written as exactly `null`, however the client spelled it (presence.ts relies on it). */
export const NULL_STATE = new TextEncoder().encode('null')

export function isNull(json: Uint8Array): boolean {
  return json.length === 4 && json[0] === 0x6e && json[1] === 0x75 && json[2] === 0x6c && json[3] === 0x6c
}

/** The parsed state, or undefined when it is not JSON. */
function parse(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes))
  } catch {
    return undefined
  }
}

const STATE_KEYS = new Set(['user', 'cursor', 'viewport', 'drag'])
const COLOR = /^#[0-9a-fA-F]{6}$/

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** An object of exactly these finite numbers. */
function isPoint(v: unknown, keys: readonly string[]): boolean {
  if (!isObject(v)) return false
  const own = Object.keys(v)
  return own.length === keys.length && keys.every((k) => Number.isFinite(v[k]))
}

/** `{user:{participantId, name, color}, cursor?, viewport?, drag?}` as this identity, or null. */
function isState(state: unknown, who: Identity): boolean {
  if (state === null) return true
  if (!isObject(state)) return false
  for (const k of Object.keys(state)) if (!STATE_KEYS.has(k)) return false
  const user = state.user
  if (!isObject(user) || Object.keys(user).length !== 3) return false
  if (user.participantId !== who.participantId) return false
  if (typeof user.name !== 'string' || !withinLimit(user.name, LIMITS.name) || !isCleanLine(user.name)) return false
  if (typeof user.color !== 'string' || !COLOR.test(user.color)) return false
  if (state.cursor !== undefined && state.cursor !== null && !isPoint(state.cursor, ['x', 'y'])) return false
  if (state.viewport !== undefined && !isPoint(state.viewport, ['x', 'y', 'zoom'])) return false
  const drag = state.drag
  if (drag !== undefined && drag !== null) {
    // Live dragging of a board item: which one, and where it is now.
    if (!isObject(drag) || Object.keys(drag).length !== 3 || typeof drag.key !== 'string' || drag.key.length > 64) return false
    if (!Number.isFinite(drag.x) || !Number.isFinite(drag.y)) return false
  }
  return true
}
