// Sustained appendUpdate throughput, the write on every Yjs update's path: ~60-byte updates spread
// over 30 documents, one writer and then 16 at once, for SQLite and (with DATABASE_URL) PostgreSQL
// in a schema of its own; then one writer paced by a 1 ms timer, as a busy node sees updates,
// whose slowest appends show what a checkpoint on the event loop would cost.
// `npx tsx bench/store.ts` prints one JSON line.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { PostgresStore } from '../server/store/postgres.js'
import { SqliteStore } from '../server/store/sqlite.js'
import type { Store } from '../server/store/store.js'
import { round, Samples, summarize } from './stats.js'

export type StoreBench = {
  kind: Store['kind']
  concurrency: number
  /** Paced: one append per timer tick of 1 ms instead of back to back. */
  paced: boolean
  seconds: number
  appends: number
  perSec: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Appends that took more than 1 ms. */
  over1Ms: number
}

export type StoreBenchOptions = {
  /** Per kind and concurrency. */
  seconds?: number
  concurrencies?: number[]
  updateBytes?: number
  /** Unset: only SQLite. */
  databaseUrl?: string
}

// Appends go only to documents of existing workshops; these are created first.
const DOCS = Array.from({ length: 30 }, (_, i) => `BENCH${i}`)

async function sustain(store: Store, concurrency: number, seconds: number, updateBytes: number, paced = false): Promise<StoreBench> {
  const update = randomBytes(updateBytes)
  const samples = new Samples()
  const end = performance.now() + seconds * 1000
  const start = performance.now()
  let n = 0
  const writer = async (w: number) => {
    for (let i = w; performance.now() < end; i += concurrency) {
      const t = performance.now()
      await store.appendUpdate(DOCS[i % DOCS.length]!, update)
      samples.push(performance.now() - t)
      n++
      if (paced) await new Promise((r) => setTimeout(r, 1))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => writer(w)))
  const elapsed = (performance.now() - start) / 1000
  const all = samples.toArray()
  const s = summarize(all)
  return {
    kind: store.kind, concurrency, paced, seconds: round(elapsed, 2), appends: n, perSec: Math.round(n / elapsed),
    p50Ms: round(s.p50, 3), p99Ms: round(s.p99, 3), maxMs: round(s.max, 3), over1Ms: all.filter((v) => v > 1).length,
  }
}

async function runAll(store: Store, o: Required<Omit<StoreBenchOptions, 'databaseUrl'>>): Promise<StoreBench[]> {
  const out: StoreBench[] = []
  for (const code of DOCS) {
    await store.createWorkshop({
      code,
      title: 'Bench',
      locale: 'en',
      template: 'my-purpose',
      facilitatorTokenHash: `bench-${code}`,
      control: { phases: [], phaseIndex: 0, timer: { status: 'idle', endsAt: null, remainingMs: 0 }, locked: false, ended: false, focus: null, ready: {}, groups: {} },
      createdAt: 0,
      lastActivity: 0,
    })
  }
  await sustain(store, 1, Math.min(0.5, o.seconds), o.updateBytes) // warm-up: statements prepared, pages cached
  for (const c of o.concurrencies) out.push(await sustain(store, c, o.seconds, o.updateBytes))
  out.push(await sustain(store, 1, o.seconds * 2, o.updateBytes, true))
  return out
}

export async function benchStore(opts: StoreBenchOptions = {}): Promise<{ store: StoreBench[] }> {
  const o = { seconds: opts.seconds ?? 3, concurrencies: opts.concurrencies ?? [1, 16], updateBytes: opts.updateBytes ?? 60 }
  const results: StoreBench[] = []

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasane-bench-store-'))
  const sqlite = new SqliteStore(dir)
  try {
    results.push(...(await runAll(sqlite, o)))
  } finally {
    await sqlite.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }

  if (opts.databaseUrl) {
    const schema = `kasane_bench_${randomBytes(6).toString('hex')}`
    const postgres = await PostgresStore.open(opts.databaseUrl, { schema, max: Math.max(...o.concurrencies, 1) })
    try {
      results.push(...(await runAll(postgres, o)))
    } finally {
      await postgres.close()
      const c = new pg.Client({ connectionString: opts.databaseUrl })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await c.end()
    }
  }
  return { store: results }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchStore({ databaseUrl: process.env.DATABASE_URL })))
}
