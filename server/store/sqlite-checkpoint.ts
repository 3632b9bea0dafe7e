// Folds SQLite's write-ahead log back into the database file from a worker thread. Left to itself,
// SQLite does this inside whichever commit crosses 1,000 log pages, with two fsyncs, on the event
// loop: measured here, one append in about 300 then took 4–7 ms instead of 0.02, and every room of
// the process waited. This worker's own connection runs a PASSIVE checkpoint every
// CHECKPOINT_EVERY_MS, which never blocks the writer; the main connection's automatic checkpoint
// stays only as a bound for appends faster than the worker (sqlite.ts).
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const CHECKPOINT_EVERY_MS = 250

// Plain CommonJS, evaluated in the worker, so that it runs the same under tsx and under node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('synchronous = NORMAL')
db.pragma('busy_timeout = 1000')
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (err) {
    parentPort.postMessage({ error: String(err) })
  }
}, workerData.everyMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export class Checkpointer {
  private worker: Worker
  private exited: Promise<void>

  constructor(file: string, onError: (message: string) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } })
    this.worker.on('message', (m: { error?: string }) => m.error && onError(m.error))
    this.worker.on('error', (err) => onError(String(err)))
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.unref()
  }

  /** Stops the worker and closes its connection (before the main connection closes). */
  async stop(): Promise<void> {
    this.worker.ref()
    this.worker.postMessage('stop')
    await this.exited
  }
}
