// The load generator builds its cursor messages by hand (bench/client.ts, cursorMessage): they
// must be byte for byte what y-protocols' encoding with lib0 gives, whatever the name, client id,
// clock or cursor, and in both framings.
import * as encoding from 'lib0/encoding'
import { expect, it } from 'vitest'
import { cursorMessage } from '../../bench/client.js'
import { MSG_AWARENESS } from '../../server/sync/wire.js'

function reference(docName: string | null, user: object, clientId: number, clock: number, cursor: { x: number; y: number } | null): Uint8Array {
  const u = encoding.createEncoder()
  encoding.writeVarUint(u, 1)
  encoding.writeVarUint(u, clientId)
  encoding.writeVarUint(u, clock)
  encoding.writeVarString(u, JSON.stringify({ user, ...(cursor ? { cursor } : {}) }))
  const e = encoding.createEncoder()
  if (docName !== null) encoding.writeVarString(e, docName)
  encoding.writeVarUint(e, MSG_AWARENESS)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(u))
  return encoding.toUint8Array(e)
}

it.each([
  [null, 'Participant 7', 1, 1, { x: 10, y: 20 }],
  [null, '山田 花子', 2 ** 32 - 1, 300, { x: -5, y: 0 }],
  ['ABCDEF', 'Émile "the quick" \\ brown', 123456789, 2 ** 21, null],
  ['ABCDEF/notebook/p1', 'x'.repeat(200), 127, 128, { x: 100000, y: 16384 }],
])('framing %s, name %s, client %i, clock %i', (docName, name, clientId, clock, cursor) => {
  const user = { participantId: 'p1_abcdef', name, color: '#1f77b4' }
  const prefix = encoding.createEncoder()
  if (docName !== null) encoding.writeVarString(prefix, docName)
  encoding.writeVarUint(prefix, MSG_AWARENESS)
  const built = cursorMessage(encoding.toUint8Array(prefix), JSON.stringify(user), clientId, clock, cursor)
  expect(Buffer.from(built).toString('hex')).toBe(Buffer.from(reference(docName, user, clientId, clock, cursor)).toString('hex'))
})
