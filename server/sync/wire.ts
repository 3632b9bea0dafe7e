// The y-websocket wire format: one varUint message type, then the y-protocols payload.
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'

export const MSG_SYNC = 0
export const MSG_AWARENESS = 1
export const MSG_AUTH = 2
export const MSG_QUERY_AWARENESS = 3

export function syncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_SYNC)
  syncProtocol.writeSyncStep1(e, doc)
  return encoding.toUint8Array(e)
}

export function syncStep2(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_SYNC)
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_SYNC)
  encoding.writeVarUint(e, syncProtocol.messageYjsUpdate)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_AWARENESS)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

// Bus frames between nodes: one kind byte, then the payload.
export const BUS_UPDATE = 0
export const BUS_AWARENESS = 1

export function busFrame(kind: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1)
  out[0] = kind
  out.set(payload, 1)
  return out
}
