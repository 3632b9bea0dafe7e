// Personal data has an end (SPEC §3): DELETE of a workshop closes its Yjs connections with 4404 and
// its control connections, and afterwards nothing anyone wrote in it is left in the bytes of the
// database files.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, draftsOf, peopleOf } from '../../shared/layout.js'
import { handshakeError } from '../support/control.js'
import { api, joinWorkshop, waitFor, type TestServer } from '../support/server.js'
import { upgradeStatus } from '../support/yjs.js'
import { Tracker, bootServer, newScene, personField, sqlite, stillServes } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

/** Which of `needles` occur anywhere in the bytes of kasane.db and its -wal/-shm files. */
function inDatabaseFiles(needles: string[]): string[] {
  const files = readdirSync(server.dataDir).filter((f) => f.startsWith('kasane.db'))
  const blobs = files.map((f) => readFileSync(path.join(server.dataDir, f)))
  return needles.filter((n) => blobs.some((b) => b.includes(Buffer.from(n, 'utf8'))))
}

describe('deleting a workshop', () => {
  it('closes its connections (4404, socket.io) and leaves none of its text in the database files', async () => {
    const s = await newScene(server, t)
    const tag = Math.random().toString(36).slice(2, 10).toUpperCase()
    const marks = {
      purpose: `PURPOSE-MARK-${tag}-重ねる`,
      notebook: `NOTEBOOK-MARK-${tag}`,
      name: `NAME-MARK-${tag}`,
    }
    const carol = await joinWorkshop(server.url, s.code, marks.name)
    const board = t.doc(s, s.code, s.alice.participantToken)
    const notebook = t.doc(s, `${s.code}/notebook/${s.alice.participantId}`, s.alice.participantToken)
    await Promise.all([board.synced(), notebook.synced()])
    ;(peopleOf(board.doc).get(s.alice.participantId)!.get(PERSON.purpose) as Y.Text).insert(0, marks.purpose)
    draftsOf(notebook.doc).set('draft_000001', new Y.Text(marks.notebook))
    await waitFor(() => personField(s.facBoard.doc, s.alice.participantId, PERSON.purpose) === marks.purpose, 'the purpose at the facilitator')
    await waitFor(
      () => sqlite(server, (db) => (db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?').get(`${s.code}/notebook/${s.alice.participantId}`) as { n: number }).n > 0),
      'the notebook stored',
    )
    const raw = await t.rawSynced(s, s.code, s.bob.participantToken)
    const facControl = t.control(s, s.ws.facilitatorToken)
    const carolControl = t.control(s, carol.participantToken)
    await facControl.until((x) => x.roster.length === 3, 'facilitator state')
    await carolControl.until((x) => x.code === s.code, 'carol state')
    const controlGone = [facControl, carolControl].map((c) => new Promise<string>((resolve) => c.socket.on('disconnect', (r) => resolve(r))))
    // The markers are really in the files before (otherwise the check below proves nothing).
    expect(inDatabaseFiles(Object.values(marks)).sort()).toEqual(Object.values(marks).sort())

    // Only this workshop's facilitator may delete it.
    expect((await api(`${server.url}/api/workshops/${s.code}`, 'DELETE', undefined, { authorization: `Bearer ${s.alice.participantToken}` })).status).toBe(403)
    const del = await api(`${server.url}/api/workshops/${s.code.toLowerCase()}`, 'DELETE', undefined, { authorization: `Bearer ${s.ws.facilitatorToken}` })
    expect(del.status).toBe(204)

    expect(await raw.closeCode()).toBe(4404)
    await waitFor(() => board.closes.includes(4404) && notebook.closes.includes(4404) && s.bobBoard.closes.includes(4404), 'every Yjs connection closed with 4404')
    expect(await Promise.all(controlGone)).toEqual(['io server disconnect', 'io server disconnect'])

    expect(inDatabaseFiles(Object.values(marks))).toEqual([])
    expect(inDatabaseFiles([s.alice.participantId, s.bob.participantId, carol.participantId])).toEqual([])
    const rows = sqlite(server, (db) =>
      ['workshops', 'participants', 'doc_updates', 'doc_snapshots'].map((table) => {
        const col = table.startsWith('doc_') ? 'doc' : 'code'
        return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${col} = ? OR ${col} LIKE ?`).get(s.code, `${s.code}/%`) as { n: number }).n
      }),
    )
    expect(rows).toEqual([0, 0, 0, 0])

    // Gone for everyone, and for good.
    expect((await api(`${server.url}/api/workshops/${s.code}`, 'GET')).status).toBe(404)
    expect((await api(`${server.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${s.ws.facilitatorToken}` })).status).toBe(401)
    expect(await upgradeStatus(`${server.wsUrl}/yjs/${s.code}?token=${s.alice.participantToken}`)).toBe(401)
    expect(await handshakeError(server.url, carol.participantToken)).toBe('UNAUTHORIZED')
    // The node serves every other workshop.
    await stillServes(await newScene(server, t))
  })
})
