// A graceful stop (SIGTERM) drains and flushes: the process exits 0 while clients are editing,
// everything any client was sent is in the database, compaction has left a snapshot of every
// document it served, and after a start on the same DATA_DIR and port everything is there and
// every client converges.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, draftsOf, peopleOf } from '../../shared/layout.js'
import { createWorkshop, joinWorkshop, waitFor } from '../support/server.js'
import { countRows, missingFrom, peer, spawnServer, storedDocs, summary, type Peer, type Proc } from './proc.js'

let proc: Proc | undefined
let dataDir: string | undefined
const peers: Peer[] = []
const timers: NodeJS.Timeout[] = []
afterAll(async () => {
  for (const t of timers) clearInterval(t)
  for (const p of peers) p.destroy()
  await proc?.kill9()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('SIGTERM', () => {
  it('drains and flushes: exit 0, a snapshot per document, nothing lost after the next start', { timeout: 120_000 }, async () => {
    const tag = `T${Date.now().toString(36).toUpperCase()}X`
    dataDir = mkdtempSync(path.join(tmpdir(), 'kasane-term-'))
    const lines: string[] = []
    proc = await spawnServer(dataDir, 0, lines)
    const port = proc.port
    const ws = await createWorkshop(proc.url, { title: 'Graceful' })
    const a = await joinWorkshop(proc.url, ws.code, 'Ann')
    const b = await joinWorkshop(proc.url, ws.code, 'Bo')
    const notebookRoom = `${ws.code}/notebook/${a.participantId}`
    const boardA = peer('board a', proc.wsUrl, ws.code, a.participantToken)
    const boardB = peer('board b', proc.wsUrl, ws.code, b.participantToken)
    const notebook = peer('notebook a', proc.wsUrl, notebookRoom, a.participantToken)
    peers.push(boardA, boardB, notebook)
    await waitFor(() => peers.every((p) => p.provider.synced) && peopleOf(boardA.doc).has(a.participantId) && peopleOf(boardA.doc).has(b.participantId), 'every client synced')

    let editing = true
    let n = 0
    timers.push(
      setInterval(() => {
        if (!editing) return
        n++
        for (const [c, pid] of [[boardA, a.participantId], [boardB, b.participantId]] as const) {
          const t = peopleOf(c.doc).get(pid)!.get(PERSON.commitment) as Y.Text
          c.doc.transact(() => {
            t.insert(t.length, `${tag}.${n} `)
            if (t.length > 250) t.delete(0, t.length - 150)
          })
        }
        const drafts = draftsOf(notebook.doc)
        if (!drafts.has('draft_0000001')) drafts.set('draft_0000001', new Y.Text())
        const draft = drafts.get('draft_0000001')!
        notebook.doc.transact(() => {
          draft.insert(0, `${n}.`)
          if (draft.length > 900) draft.delete(600, draft.length - 600)
        })
      }, 10),
    )
    await waitFor(() => boardB.receivedTotal > 100, 'edits flowing', 30_000)

    // Stop while the edits keep coming.
    const exit = await proc.term()
    expect(exit).toEqual({ code: 0, signal: null })
    expect(lines.some((l) => l.includes('"msg":"stopping"'))).toBe(true)
    const stored = storedDocs(dataDir, [ws.code, notebookRoom])
    for (const p of peers) expect(missingFrom(stored.get(p === notebook ? notebookRoom : ws.code)!, p.received), p.name).toBe(0)
    // Compaction on the way out left a snapshot of each document, and no update log behind it.
    expect(countRows(dataDir, 'SELECT count(*) AS n FROM doc_snapshots WHERE doc = ?', ws.code)).toBe(1)
    expect(countRows(dataDir, 'SELECT count(*) AS n FROM doc_snapshots WHERE doc = ?', notebookRoom)).toBe(1)
    expect(countRows(dataDir, 'SELECT count(*) AS n FROM doc_updates WHERE doc IN (?, ?)', ws.code, notebookRoom)).toBe(0)
    const storedCommitment = (peopleOf(stored.get(ws.code)!).get(a.participantId)!.get(PERSON.commitment) as Y.Text).toString()
    expect(storedCommitment).toContain(`${tag}.`)

    // Start again on the same DATA_DIR and port: the clients come back, resend what the stop cut
    // off, and everyone converges with everything.
    proc = await spawnServer(dataDir, port, lines)
    editing = false
    await waitFor(() => peers.every((p) => p.provider.synced), 'every client back', 30_000).catch((err) => {
      throw new Error(`${String(err)}; closes: ${JSON.stringify(peers.map((p) => [p.name, p.provider.synced, p.closes]))}`)
    })
    await waitFor(() => summary(boardA.doc, { vision: 'map', people: 'map' }) === summary(boardB.doc, { vision: 'map', people: 'map' }), 'the board to converge', 30_000)
    const fresh = peer('fresh', proc.wsUrl, ws.code, ws.facilitatorToken)
    const freshNotebook = peer('fresh notebook', proc.wsUrl, notebookRoom, a.participantToken)
    peers.push(fresh, freshNotebook)
    await waitFor(() => fresh.provider.synced && summary(fresh.doc, { vision: 'map', people: 'map' }) === summary(boardA.doc, { vision: 'map', people: 'map' }), 'a fresh client to see the same board', 30_000)
    await waitFor(() => freshNotebook.provider.synced && summary(freshNotebook.doc, { drafts: 'map' }) === summary(notebook.doc, { drafts: 'map' }), 'the same notebook', 30_000)
    expect(peers.flatMap((p) => p.closes.filter((c) => c >= 4000))).toEqual([])
    expect(lines.filter((l) => l.includes(tag))).toEqual([])
  })
})
