// The write check of SPEC §5: a pure function of (document, update, identity). It decides before
// anything is applied; the room applies, stores and relays only what it accepts.
import * as Y from 'yjs'
import type { RoomName } from '../../shared/protocol.js'
import type { Identity, WritePolicy } from './identity.js'

export type CheckInput = {
  doc: Y.Doc
  room: RoomName
  update: Uint8Array
  who: Identity
  policy: WritePolicy
  /** Yjs client id → owner key (participant id or FACILITATOR_OWNER / SERVER_OWNER). */
  owners: ReadonlyMap<number, string>
}

export type CheckResult =
  | { ok: true; changes: boolean; newClients: number[] }
  | { ok: false; close: 4400 | 4403 | 4409 | 4413; reason: string }

// Placeholder: being replaced by the full structural check (issue 6).
export function checkUpdate(input: CheckInput): CheckResult {
  const { who, room, policy } = input
  if (room.kind === 'notebook') {
    if (who.role !== 'participant' || who.participantId !== room.participantId) return { ok: false, close: 4403, reason: 'not your notebook' }
    return { ok: true, changes: true, newClients: [] }
  }
  if (who.role === 'participant' && (policy.locked || policy.ended)) return { ok: false, close: 4403, reason: 'board is read-only' }
  return { ok: true, changes: true, newClients: [] }
}
