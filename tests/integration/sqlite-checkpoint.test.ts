// The SQLite write-ahead log is folded into the database file by a worker thread, so that no append
// on the event loop pays for a checkpoint: the main file must grow while the log is still far below
// the bound at which the main connection would checkpoint by itself, and nothing may be lost. It
// folds as soon as enough appends have come in, and a calm log after a while: each case below
// leaves the worker only its own way to fold within the wait (the other is set an hour off).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { SqliteStore } from '../../server/store/sqlite.js'
import type { FoldPolicy } from '../../server/store/sqlite-checkpoint.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const HOUR = 3_600_000
it.each<[string, number, FoldPolicy]>([
  ['after a burst of appends', 300, { idleMs: HOUR, foldAfter: 300 }],
  ['after a while when the log is calm', 5, { idleMs: 500, foldAfter: 1e9 }],
])('checkpoints in the background %s and loses nothing across a reopen', async (_when, appends, fold) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasane-ckpt-'))
  dirs.push(dir)
  const file = path.join(dir, 'kasane.db')
  let store = new SqliteStore(dir, undefined, fold)
  const now = Date.now()
  await store.createWorkshop({
    code: 'CKPT22', title: 't', locale: 'en', template: 'my-purpose', facilitatorTokenHash: 'h-ckpt', createdAt: now, lastActivity: now,
    control: { phases: [], phaseIndex: 0, timer: { status: 'idle', endsAt: null, remainingMs: 0 }, locked: false, ended: false, focus: null, ready: {}, groups: {} },
  })
  const before = fs.statSync(file).size
  // About 3 log pages per append: 300 appends stay far below the 4,096-page bound.
  for (let i = 0; i < appends; i++) await store.appendUpdate('CKPT22', new Uint8Array(60).fill(i % 250))
  // Only the worker checkpoints this early: the main file grows while the log is below the bound.
  await until(() => fs.statSync(file).size > before, 5_000)
  await store.close()
  store = new SqliteStore(dir)
  const stored = await store.loadDoc('CKPT22')
  expect(stored.updates).toHaveLength(appends)
  expect(Buffer.from(stored.updates[appends - 1]!)[0]).toBe((appends - 1) % 250)
  await store.close()
})

it('stops its worker on close, so the process can exit and the log is folded in', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasane-ckpt-'))
  dirs.push(dir)
  const store = new SqliteStore(dir)
  await store.close()
  // The last connection to close folds the log in and removes it.
  expect(fs.existsSync(path.join(dir, 'kasane.db-wal'))).toBe(false)
})
