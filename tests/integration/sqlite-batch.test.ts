// SQLite appends wait for the end of the event loop's turn and are written together in one
// transaction: nothing is stored before the turn ends, everything is once each promise resolves,
// an append into a deleted workshop fails alone, and whatever else touches the documents first
// writes the appends asked for before it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, expect, it } from 'vitest'
import { WorkshopGoneError } from '../../server/store/index.js'
import { SqliteStore } from '../../server/store/sqlite.js'

const dirs: string[] = []
const readers: Database.Database[] = []
afterEach(() => {
  for (const r of readers.splice(0)) r.close()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function open(...codes: string[]): Promise<{ store: SqliteStore; rows: (doc: string) => number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasane-batch-'))
  dirs.push(dir)
  const store = new SqliteStore(dir)
  const now = Date.now()
  for (const code of codes) {
    await store.createWorkshop({
      code, title: 't', locale: 'en', template: 'my-purpose', facilitatorTokenHash: `h-${code}`, createdAt: now, lastActivity: now,
      control: { phases: [], phaseIndex: 0, timer: { status: 'idle', endsAt: null, remainingMs: 0 }, locked: false, ended: false, focus: null, ready: {}, groups: {} },
    })
  }
  // A second connection, as another process would see the file.
  const reader = new Database(store.file, { readonly: true })
  readers.push(reader)
  const count = reader.prepare<[string], number>('SELECT count(*) FROM doc_updates WHERE doc = ?').pluck()
  return { store, rows: (doc) => count.get(doc)! }
}

it('stores a turn’s appends together, once the turn ends, in the order asked', async () => {
  const { store, rows } = await open('BATCH2', 'BATCH3')
  const asked = [
    store.appendUpdate('BATCH2', new Uint8Array([1])),
    store.appendUpdate('BATCH3', new Uint8Array([2])),
    store.appendUpdate('BATCH2', new Uint8Array([3])),
  ]
  expect(rows('BATCH2') + rows('BATCH3')).toBe(0)
  const seqs = await Promise.all(asked)
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
  expect(new Set(seqs).size).toBe(3)
  expect([rows('BATCH2'), rows('BATCH3')]).toEqual([2, 1])
  expect((await store.loadDoc('BATCH2')).updates.map((u) => u[0])).toEqual([1, 3])
  await store.close()
})

it('fails an append into a deleted workshop alone, and writes waiting appends before anything else touches the documents', async () => {
  const { store, rows } = await open('KEEP22', 'GONE22')
  await store.deleteWorkshop('GONE22')
  const kept = store.appendUpdate('KEEP22', new Uint8Array([1]))
  const gone = store.appendUpdate('GONE22', new Uint8Array([2]))
  await expect(gone).rejects.toBeInstanceOf(WorkshopGoneError)
  expect(await kept).toBeGreaterThan(0)

  // Asked in one turn: the append, then the document's deletion. The append is stored first (its
  // promise resolves), and the deletion removes it.
  const appended = store.appendUpdate('KEEP22/notebook/p1', new Uint8Array([3]))
  const deleted = store.deleteDoc('KEEP22/notebook/p1')
  await Promise.all([appended, deleted])
  expect(rows('KEEP22/notebook/p1')).toBe(0)

  // And an append asked for before close is stored, not dropped.
  const last = store.appendUpdate('KEEP22', new Uint8Array([4]))
  await store.close()
  expect(await last).toBeGreaterThan(await kept)
  expect(rows('KEEP22')).toBe(2)
})
