// What is stored and relayed is exactly what the server checked (server/sync/room.ts): a client's
// update as it was sent when it holds only new structs and nothing after its deletions; bytes after
// the update, or structs the board already holds, never reach another client or the log.
import * as decoding from 'lib0/decoding'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, peopleOf } from '../../shared/layout.js'
import { waitFor, type TestServer } from '../support/server.js'
import { MSG, SYNC, type RawYjs } from '../support/raw.js'
import { Tracker, bootServer, newScene, personField, sqlite } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

/** Every update payload the server relays to `raw` from now on. */
function relayed(raw: RawYjs): Uint8Array[] {
  const out: Uint8Array[] = []
  raw.ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data))
    if (decoding.readVarUint(d) !== MSG.sync || decoding.readVarUint(d) !== SYNC.update) return
    out.push(decoding.readVarUint8Array(d))
  })
  return out
}

/** A scene with Alice writing on a raw connection and what Bob's raw connection receives. */
async function writeAndWatch() {
  const s = await newScene(server, t)
  const alice = await t.rawSynced(s, s.code, s.alice.participantToken)
  const seen = relayed(await t.rawSynced(s, s.code, s.bob.participantToken))
  const purpose = () => peopleOf(alice.doc).get(s.alice.participantId)!.get(PERSON.purpose) as Y.Text
  return { s, alice, seen, purpose }
}

const lastStored = (room: string) =>
  sqlite(server, (db) => new Uint8Array((db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq DESC LIMIT 1').get(room) as { data: Buffer }).data))

it('relays and stores a clean update as sent, and an update without what follows it', async () => {
  const { s, alice, seen, purpose } = await writeAndWatch()

  const clean = alice.capture(() => purpose().insert(0, 'to help'))
  alice.sendUpdate(clean)
  await waitFor(() => seen.length === 1, 'the clean update relayed')
  expect(seen[0]).toEqual(clean)
  expect(lastStored(s.code)).toEqual(clean)

  const next = alice.capture(() => purpose().insert(7, ' people'))
  const junk = new Uint8Array([...next, 0xde, 0xad, 0xbe, 0xef, 7, 7, 7])
  alice.sendUpdate(junk)
  await waitFor(() => seen.length === 2, 'the update with bytes after it relayed')
  expect(seen[1]).toEqual(next)
  expect(lastStored(s.code)).toEqual(next)
  await waitFor(() => personField(s.bobBoard.doc, s.alice.participantId, PERSON.purpose) === 'to help people', 'bob sees both')
})

it('relays and stores only the new part of an update that repeats what the board holds', async () => {
  const { s, alice, seen, purpose } = await writeAndWatch()

  const first = alice.capture(() => purpose().insert(0, 'grow'))
  alice.sendUpdate(first)
  await waitFor(() => seen.length === 1, 'the first update relayed')
  const held = Y.getState(s.bobBoard.doc.store, alice.doc.clientID)
  const second = alice.capture(() => purpose().insert(4, ' together'))
  alice.sendUpdate(Y.mergeUpdates([first, second]))
  await waitFor(() => seen.length === 2, 'the repeating update relayed')
  const structs = Y.decodeUpdate(seen[1]!).structs.filter((st) => st.id.client === alice.doc.clientID)
  expect(structs.length).toBeGreaterThan(0)
  for (const st of structs) expect(st.id.clock).toBeGreaterThanOrEqual(held)
  expect(lastStored(s.code)).toEqual(seen[1])
  await waitFor(() => personField(s.bobBoard.doc, s.alice.participantId, PERSON.purpose) === 'grow together', 'bob sees both')
})
