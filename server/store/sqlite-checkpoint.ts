// Folds SQLite's write-ahead log back into the database file from a worker thread. Left to itself,
// SQLite does this inside whichever commit crosses 1,000 log pages, with two fsyncs, on the event
// loop: measured here, one append in about 300 then took 4–7 ms instead of 0.02, and every room of
// the process waited. This worker's own connection runs PASSIVE checkpoints, which never block the
// writer; the main connection's automatic checkpoint stays only as a bound for appends faster than
// the worker (sqlite.ts).
//
// Not too often, though: a checkpoint's fsyncs hold up the file system's journal, and an append
// that lands in them waits. Checkpointing every 250 ms, appends 33 ms apart took 500 µs at p95
// instead of 200 (a loop of appends on one SqliteStore, 2026-12-07). So the worker folds the log
// in after `FOLD_POLICY.idleMs`, or as soon as `FOLD_POLICY.foldAfter` appends (about three log
// pages each) have come in since the last time: rarely while a workshop is calm, and well below
// the bound when busy.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const TICK_MS = 250

/** When the worker folds the log in: after `idleMs` at the latest, sooner after `foldAfter` appends. */
export type FoldPolicy = { idleMs: number; foldAfter: number }
export const FOLD_POLICY: FoldPolicy = { idleMs: 2_000, foldAfter: 300 }

// Plain CommonJS, evaluated in the worker, so that it runs the same under tsx and under node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('synchronous = NORMAL')
db.pragma('busy_timeout = 1000')
const appends = new Int32Array(workerData.appends)
let folded = 0
let foldedAt = Date.now()
const timer = setInterval(() => {
  const now = Date.now()
  const count = Atomics.load(appends, 0)
  if (((count - folded) | 0) < workerData.foldAfter && now - foldedAt < workerData.idleMs) return
  folded = count
  foldedAt = now
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (err) {
    parentPort.postMessage({ error: String(err) })
  }
}, workerData.tickMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export class Checkpointer {
  private worker: Worker
  /** Appends so far (wrapping), read by the worker. */
  private appends = new Int32Array(new SharedArrayBuffer(4))
  private exited: Promise<void>

  constructor(file: string, onError: (message: string) => void, policy: FoldPolicy = FOLD_POLICY) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const workerData = { file, driver, appends: this.appends.buffer, tickMs: TICK_MS, ...policy }
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData })
    this.worker.on('message', (m: { error?: string }) => m.error && onError(m.error))
    this.worker.on('error', (err) => onError(String(err)))
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.unref()
  }

  /** One more append in the log. */
  appended(): void {
    Atomics.add(this.appends, 0, 1)
  }

  /** Stops the worker and closes its connection (before the main connection closes). */
  async stop(): Promise<void> {
    this.worker.ref()
    this.worker.postMessage('stop')
    await this.exited
  }
}
