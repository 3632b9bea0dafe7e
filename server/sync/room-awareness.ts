// Awareness a connection may set: only for client ids it owns (the first it announces that no one
// else holds), only as itself, and small. Everything else is dropped, not relayed.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { LIMITS } from '../../shared/limits.js'
import type { Identity } from './identity.js'

export type AcceptedAwareness = { update: Uint8Array; clientIds: number[] }

export function acceptAwareness(
  update: Uint8Array,
  who: Identity,
  own: ReadonlySet<number>,
  claimedElsewhere: (clientId: number) => boolean,
): AcceptedAwareness | null {
  try {
    const d = decoding.createDecoder(update)
    const count = decoding.readVarUint(d)
    if (count > 16) return null
    const e = encoding.createEncoder()
    const kept: { id: number; clock: number; json: string }[] = []
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(d)
      const clock = decoding.readVarUint(d)
      const json = decoding.readVarString(d)
      if (json.length > LIMITS.awarenessBytes) continue
      if (!own.has(id) && (own.size > 0 || claimedElsewhere(id))) continue
      if (!validState(json, who)) continue
      kept.push({ id, clock, json })
    }
    if (kept.length === 0) return null
    encoding.writeVarUint(e, kept.length)
    for (const k of kept) {
      encoding.writeVarUint(e, k.id)
      encoding.writeVarUint(e, k.clock)
      encoding.writeVarString(e, k.json)
    }
    return { update: encoding.toUint8Array(e), clientIds: kept.map((k) => k.id) }
  } catch {
    return null
  }
}

function validState(json: string, who: Identity): boolean {
  let state: unknown
  try {
    state = JSON.parse(json)
  } catch {
    return false
  }
  if (state === null) return true
  if (typeof state !== 'object' || Array.isArray(state)) return false
  const user = (state as { user?: { participantId?: unknown } }).user
  if (user === undefined) return true
  return typeof user === 'object' && user !== null && user.participantId === who.participantId
}
