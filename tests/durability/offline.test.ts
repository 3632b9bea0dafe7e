// A participant who goes offline for a long stretch keeps writing (board and notebook) while the
// others write theirs and the server is restarted; on reconnect everything merges with no loss,
// and nobody's connection is refused.
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, cardsOf, createValue, draftsOf, peopleOf, readNotebook, readPerson, reactionsOf, storyOf, valuesOf, visionOf } from '../../shared/layout.js'
import { createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server.js'
import { peer, summary, type Peer } from './proc.js'

let server: TestServer | undefined
const peers: Peer[] = []
afterAll(async () => {
  for (const p of peers) p.destroy()
  await server?.destroy()
})

const BOARD = { vision: 'map', people: 'map' } as const
const NOTEBOOK = { story: 'array', cards: 'map', drafts: 'map' } as const

/** Edits a text the way a person types: many small inserts, some deletions, within `limit`. */
function type(doc: Y.Doc, text: Y.Text, words: string[], limit: number): void {
  for (const w of words) {
    doc.transact(() => {
      text.insert(text.length, w + ' ')
      if (text.length > limit - 40) text.delete(0, 40)
    })
  }
}

describe('a long time offline', () => {
  it('merges offline edits with everyone else\'s, across a server restart, with no loss', { timeout: 90_000 }, async () => {
    server = await startServer({ env: { LOG_LEVEL: 'warn' } })
    const port = server.port
    const ws = await createWorkshop(server.url, { title: 'Offline' })
    const [a, b, c] = [await joinWorkshop(server.url, ws.code, 'Aki'), await joinWorkshop(server.url, ws.code, 'Ben'), await joinWorkshop(server.url, ws.code, 'Cho')]
    const add = (p: Peer) => (peers.push(p), p)
    const boardA = add(peer('board a', server.wsUrl, ws.code, a.participantToken))
    const notebookA = add(peer('notebook a', server.wsUrl, `${ws.code}/notebook/${a.participantId}`, a.participantToken))
    const boardB = add(peer('board b', server.wsUrl, ws.code, b.participantToken))
    const boardC = add(peer('board c', server.wsUrl, ws.code, c.participantToken))
    const fac = add(peer('facilitator', server.wsUrl, ws.code, ws.facilitatorToken))
    await waitFor(() => peers.every((p) => p.provider.synced) && [a, b, c].every((x) => peopleOf(fac.doc).has(x.participantId) && peopleOf(boardA.doc).has(x.participantId)), 'everyone synced')
    const entry = (p: Peer, pid: string) => peopleOf(p.doc).get(pid)!

    // Aki writes something online first, then loses the connection.
    ;(entry(boardA, a.participantId).get(PERSON.checkin) as Y.Text).insert(0, 'hello')
    await waitFor(() => (entry(fac, a.participantId).get(PERSON.checkin) as Y.Text).toString().startsWith('hello'), 'aki online')
    boardA.provider.disconnect()
    notebookA.provider.disconnect()

    // Offline: hundreds of keystrokes, values made and removed, stamps, a whole life story.
    const mine = entry(boardA, a.participantId)
    type(boardA.doc, mine.get(PERSON.purpose) as Y.Text, Array.from({ length: 300 }, (_, i) => `p${i}`), 300)
    for (let i = 0; i < 10; i++) valuesOf(mine)!.set(`value_a_${i}000`, createValue(`value ${i}`, i < 3 ? ((i + 1) as 1 | 2 | 3) : null, { x: i * 10, y: 0 }))
    for (let i = 0; i < 3; i++) valuesOf(mine)!.delete(`value_a_${i + 5}000`)
    ;(valuesOf(mine)!.get('value_a_0000')!.get('text') as Y.Text).insert(0, 'most: ')
    reactionsOf(mine)!.set(b.participantId, 'inspiring')
    type(boardA.doc, mine.get(PERSON.commitment) as Y.Text, Array.from({ length: 120 }, (_, i) => `c${i}`), 300)
    for (let i = 0; i < 30; i++) {
      const moment = new Y.Map<unknown>()
      moment.set('id', `moment_${String(i).padStart(4, '0')}`)
      moment.set('when', `${1990 + i}`)
      moment.set('text', new Y.Text(`a moment ${i}`))
      moment.set('level', (i % 11) - 5)
      storyOf(notebookA.doc).push([moment])
    }
    storyOf(notebookA.doc).delete(0, 2)
    cardsOf(notebookA.doc).set('custom-courage', 'very')
    draftsOf(notebookA.doc).set('custom-courage', new Y.Text('Courage'))

    // Meanwhile the others write, the facilitator edits the vision, and the server restarts.
    const others = async (round: number) => {
      type(boardB.doc, entry(boardB, b.participantId).get(PERSON.purpose) as Y.Text, Array.from({ length: 80 }, (_, i) => `b${round}.${i}`), 300)
      type(boardC.doc, entry(boardC, c.participantId).get(PERSON.commitment) as Y.Text, Array.from({ length: 80 }, (_, i) => `c${round}.${i}`), 300)
      valuesOf(entry(boardB, b.participantId))!.set(`value_b_${round}000`, createValue(`ben ${round}`, null, { x: round, y: 1 }))
      reactionsOf(entry(boardC, c.participantId))!.set(a.participantId, 'cheering')
      ;(visionOf(fac.doc).values().next().value!.get('title') as Y.Text).insert(0, `${round}`)
      await waitFor(() => summary(boardB.doc, BOARD) === summary(boardC.doc, BOARD) && summary(boardC.doc, BOARD) === summary(fac.doc, BOARD), `the others to converge (${round})`, 20_000)
    }
    await others(1)
    await server.stop()
    server = await startServer({ dataDir: server.dataDir, env: { PORT: String(port), LOG_LEVEL: 'warn' } })
    await waitFor(() => [boardB, boardC, fac].every((p) => p.provider.synced), 'the others reconnected', 30_000)
    await others(2)
    // Aki, still offline, has seen none of it.
    expect(readPerson(entry(boardA, b.participantId), b.participantId).purpose).toBe('')

    // Back online.
    boardA.provider.connect()
    notebookA.provider.connect()
    await waitFor(() => new Set([boardA, boardB, boardC, fac].map((p) => summary(p.doc, BOARD))).size === 1, 'the board to converge with aki', 30_000)
    for (const x of [a, b, c]) {
      const author = { [a.participantId]: boardA, [b.participantId]: boardB, [c.participantId]: boardC }[x.participantId]!
      const own = readPerson(entry(author, x.participantId), x.participantId)
      for (const p of [boardA, boardB, boardC, fac]) expect(readPerson(entry(p, x.participantId), x.participantId), `${x.participantId} at ${p.name}`).toEqual(own)
    }
    const akiAtFac = readPerson(entry(fac, a.participantId), a.participantId)
    expect(akiAtFac.values).toHaveLength(7)
    expect(akiAtFac.values[0]!.text).toBe('most: value 0')
    expect(akiAtFac.purpose).toContain('p299')
    expect(akiAtFac.reactions).toEqual({ [b.participantId]: 'inspiring' })
    expect(readPerson(entry(boardA, b.participantId), b.participantId).purpose).toContain('b2.79')

    // The notebook, as another device of Aki's sees it.
    const check = add(peer('notebook check', server.wsUrl, `${ws.code}/notebook/${a.participantId}`, a.participantToken))
    await waitFor(() => check.provider.synced && summary(check.doc, NOTEBOOK) === summary(notebookA.doc, NOTEBOOK), 'the notebook merged', 30_000)
    const nb = readNotebook(check.doc)
    expect(nb.story).toHaveLength(28)
    expect(nb.story[0]!.text).toBe('a moment 2')
    expect(nb.cards).toEqual({ 'custom-courage': 'very' })
    expect(peers.flatMap((p) => p.closes.filter((code) => code >= 4000))).toEqual([])
  })
})
