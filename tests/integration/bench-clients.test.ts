// The load generator's clients (bench/client.ts) against a real node. Participants that write on
// one shared document, each under a client id of its own, must send exactly what documents of
// their own would, be accepted as themselves, and reach a participant with a document of its own:
// the capacity figures rest on it (bench/README.md, "The load generator").
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BenchClient } from '../../bench/client.js'
import { prepareRoom } from '../../bench/rooms.js'
import { PERSON, peopleOf } from '../../shared/layout.js'
import { startServer, waitFor, type TestServer } from '../support/server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server.destroy()
})

const textOf = (doc: Y.Doc, participantId: string) => ((peopleOf(doc).get(participantId) as Y.Map<unknown>).get(PERSON.purpose) as Y.Text).toString()

it('lite participants sharing one document send what documents of their own would, and are accepted as themselves', async () => {
  const room = await prepareRoom({ target: { kind: 'kasane', wsBase: `${server.wsUrl}/yjs`, httpBase: server.url }, roomIndex: 0, participants: 5, runId: 'test' })
  const shared = new Y.Doc()
  const full = new BenchClient(room.specs[0]!, 0, 'full', null)
  const lite = room.specs.slice(1).map((spec, i) => new BenchClient(spec, i + 1, 'lite', null, shared))
  try {
    await Promise.all([full, ...lite].map((c) => c.connect()))
    expect(new Set(lite.map((c) => c.clientId)).size).toBe(lite.length)
    // A document of its own for each, as it would be after the same sync.
    const board = Y.encodeStateAsUpdate(shared)
    const twins = lite.map((c) => {
      const twin = new Y.Doc()
      twin.clientID = c.clientId
      Y.applyUpdate(twin, board)
      return twin
    })
    const sent: Uint8Array[] = []
    shared.on('update', (update: Uint8Array, origin: unknown) => {
      if (lite.includes(origin as BenchClient)) sent.push(update)
    })
    for (let round = 0; round < 3; round++) {
      lite.forEach((c, i) => {
        const marker = `${c.index}:${round}`
        c.edit(marker)
        const twin = twins[i]!
        let own: Uint8Array | null = null
        twin.once('update', (update: Uint8Array) => (own = update))
        twin.transact(() => {
          const text = (peopleOf(twin).get(c.spec.participantId) as Y.Map<unknown>).get(PERSON.purpose) as Y.Text
          if (text.length > 0) text.delete(0, text.length)
          text.insert(0, marker)
        })
        expect(Buffer.from(sent.at(-1)!).equals(Buffer.from(own!))).toBe(true)
      })
    }
    expect(sent).toHaveLength(3 * lite.length)
    // The server took every edit as its participant's own and relayed it.
    await waitFor(() => lite.every((c) => textOf(full.doc, c.spec.participantId) === `${c.index}:2`), 'every edit at the full participant')
    expect([full, ...lite].filter((c) => c.closed).map((c) => c.closeCode)).toEqual([])
  } finally {
    for (const c of [full, ...lite]) c.close()
    shared.destroy()
  }
})

it('stamps each delivery when it is read and again when its receiver has applied it', async () => {
  const room = await prepareRoom({ target: { kind: 'kasane', wsBase: `${server.wsUrl}/yjs`, httpBase: server.url }, roomIndex: 1, participants: 4, runId: 'test' })
  const got: { receiver: number; sender: number; seq: number; readAt: number; handledAt: number; text: string }[] = []
  const clients: BenchClient[] = room.specs.map(
    (spec, i) =>
      new BenchClient(spec, i, 'full', (receiver, sender, seq, readAt, handledAt) => {
        // Noted after the apply: the receiver's document already holds the marker.
        got.push({ receiver: receiver.index, sender, seq, readAt, handledAt, text: textOf(receiver.doc, room.specs[sender]!.participantId) })
      }),
  )
  try {
    await Promise.all(clients.map((c) => c.connect()))
    const sentAt = performance.now()
    clients[0]!.edit('0:0')
    await waitFor(() => got.length === clients.length - 1, 'the edit at every other participant')
    expect(got.map((g) => g.receiver).sort()).toEqual([1, 2, 3])
    for (const g of got) {
      expect([g.sender, g.seq, g.text]).toEqual([0, 0, '0:0'])
      expect(g.readAt).toBeGreaterThanOrEqual(sentAt)
      expect(g.handledAt).toBeGreaterThanOrEqual(g.readAt)
    }
  } finally {
    for (const c of clients) c.close()
  }
})
