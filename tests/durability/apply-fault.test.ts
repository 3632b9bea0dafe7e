// An accepted update is stored and relayed before the server applies it (server/sync/room.ts). The
// check is built so that the apply cannot throw; should it throw all the same, storage holds an edit
// the room's document lacks. The room must then start over from storage: every connection closes
// with 1011, clients reconnect to a room loaded from storage, and the edit is in it. The fault is
// injected into Yjs itself, once, for the server's apply of a participant's update; the server's
// code runs unchanged.
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, peopleOf } from '../../shared/layout.js'
import { createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server.js'
import { connectDoc, type Client } from '../support/yjs.js'

let server: TestServer | undefined
const clients: Client[] = []
afterAll(async () => {
  for (const c of clients) c.destroy()
  await server?.destroy()
})

/** The server applies a client's update with the connection as the origin: `{ws, who}`. */
const fromParticipant = (origin: unknown) =>
  typeof origin === 'object' && origin !== null && 'who' in origin && (origin as { who: { role?: string } }).who.role === 'participant'

/** Makes the next transaction of a server document applying a participant's update throw. */
function failNextServerApply(): { fired: () => boolean; restore: () => void } {
  let fired = false
  const emit = Y.Doc.prototype.emit
  Y.Doc.prototype.emit = function (this: Y.Doc, name: string, args: unknown[]) {
    if (!fired && name === 'beforeTransaction' && fromParticipant((args[0] as Y.Transaction).origin)) {
      fired = true
      throw new Error('injected fault')
    }
    return emit.call(this, name as never, args as never)
  } as typeof emit
  return { fired: () => fired, restore: () => void delete (Y.Doc.prototype as { emit?: unknown }).emit }
}

const purpose = (c: Client, pid: string) => peopleOf(c.doc).get(pid)?.get(PERSON.purpose) as Y.Text | undefined

describe('an update that fails to apply after it was stored', () => {
  it('closes the room with 1011; everyone reconnects to the stored edit and goes on writing', { timeout: 60_000 }, async () => {
    server = await startServer()
    const ws = await createWorkshop(server.url, { title: 'Fault' })
    const [a, b] = [await joinWorkshop(server.url, ws.code, 'Aki'), await joinWorkshop(server.url, ws.code, 'Ben')]
    const alice = connectDoc(server.wsUrl, ws.code, a.participantToken)
    const bob = connectDoc(server.wsUrl, ws.code, b.participantToken)
    clients.push(alice, bob)
    await waitFor(() => purpose(alice, a.participantId) && purpose(bob, a.participantId) && purpose(alice, b.participantId), 'both synced')

    const fault = failNextServerApply()
    try {
      purpose(alice, a.participantId)!.insert(0, 'to make work lighter')
      await waitFor(() => fault.fired(), 'the fault')
      await waitFor(() => alice.closes.length > 0 && bob.closes.length > 0, 'both connections closed')
    } finally {
      fault.restore()
    }
    expect(alice.closes[0]).toBe(1011)
    expect(bob.closes[0]).toBe(1011)

    // A newcomer reads the room as loaded from storage; the edit is there, and writing goes on.
    const fac = connectDoc(server.wsUrl, ws.code, ws.facilitatorToken)
    clients.push(fac)
    await waitFor(() => purpose(fac, a.participantId)?.toString() === 'to make work lighter', 'the stored edit, read back')
    await waitFor(() => alice.provider.synced && alice.provider.wsconnected && bob.provider.wsconnected, 'reconnected')
    purpose(bob, b.participantId)!.insert(0, 'to listen first')
    await waitFor(() => purpose(alice, b.participantId)?.toString() === 'to listen first', "Ben's later edit at Aki's")
    await waitFor(() => purpose(fac, b.participantId)?.toString() === 'to listen first', "Ben's later edit at the facilitator's")
    expect(purpose(bob, a.participantId)!.toString()).toBe('to make work lighter')
    expect(alice.closes.filter((c) => c !== 1011)).toEqual([])
  })
})
