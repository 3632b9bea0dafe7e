// The printed tables of a benchmark run (the JSON file holds everything, these the essentials).
import type { ClientSizeResult } from './client-size.js'
import type { CapacityResult } from './scenario-capacity.js'
import type { JoinRow } from './scenario-join.js'
import type { Beside, LatencyRow } from './scenario-latency.js'
import type { Stretches, TraceRow } from './trace.js'
import { ratio } from './stats.js'

export type Results = {
  scenarios: {
    latency?: LatencyRow[]
    latencyTrace?: TraceRow[] | { skipped: string }
    capacity?: CapacityResult[]
    join?: JoinRow[]
    store?: unknown
    exports?: unknown
    client?: ClientSizeResult
  }
}

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–')
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–')

function table(title: string, head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return `\n${title}\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`
}

/**
 * A row's p50 and p99 ratios against the stock server at its rate, handled then read, as cells:
 * `1.07×`, with the run's 95 % interval where it was computed, `1.07× (0.95–1.20)`.
 */
export function stockRatioCells(row: LatencyRow, rows: LatencyRow[]): [string, string, string, string] {
  const s = rows.find((o) => o.server === 'stock' && o.editsPerSecond === row.editsPerSecond)
  const cell = (ours: number | undefined, ref: number | undefined, ci?: [number, number]) => {
    const v = s && ours !== undefined && ref !== undefined ? ratio(ours, ref) : NaN
    return x(v) + (ci && Number.isFinite(v) && Number.isFinite(ci[0]) && row !== s ? ` (${f(ci[0])}–${f(ci[1])})` : '')
  }
  const ci = row.vsStock
  return [
    cell(row.latencyMs.p50, s?.latencyMs.p50, ci?.p50),
    cell(row.latencyMs.p99, s?.latencyMs.p99, ci?.p99),
    cell(row.readMs?.p50, s?.readMs?.p50, ci?.readP50),
    cell(row.readMs?.p99, s?.readMs?.p99, ci?.readP99),
  ]
}

export function latencyTable(rows: LatencyRow[]): string {
  return table(
    '(1) one room, 30 participants: latency sender → every other client, handled (applied) and read (ms); ratios against the stock server',
    ['server @ edits/s', 'p50', 'p95', 'p99', 'max', 'p50 ×', 'p99 ×', 'read p50', 'read p99', 'read p50 ×', 'read p99 ×', 'cpu %', 'rss MiB', 'deliveries', 'lost'],
    rows.map((r) => {
      const [p50, p99, readP50, readP99] = stockRatioCells(r, rows)
      return [
        `${r.server} @ ${r.editsPerSecond}`, f(r.latencyMs.p50), f(r.latencyMs.p95), f(r.latencyMs.p99), f(r.latencyMs.max),
        p50, p99, f(r.readMs?.p50 ?? NaN), f(r.readMs?.p99 ?? NaN), readP50, readP99,
        f(r.serverCpuPercent, 0), f(r.serverRssMiB, 0), String(r.delivered), String(r.lost),
      ]
    }),
  )
}

/** A scenario 1 row's machine beside the server (since 2026-12-08) as cells: % of one core, then pages per second. */
export const BESIDE_HEADER = ['server waited for a core %', 'system CPU %', 'kernel threads %', 'softirq %', 'iowait %', 'steal %', 'pages dirtied/s', 'written back/s']
export const besideCells = (b: Beside): string[] => [f(b.serverWaitPercent ?? NaN, 1), f(b.systemCpuPercent, 1), f(b.kthreadCpuPercent, 1), f(b.softirqCpuPercent, 1), f(b.iowaitPercent, 1), f(b.stealPercent, 1), f(b.dirtiedPerSecond, 0), f(b.writtenPerSecond, 0)]

export function besideTable(rows: LatencyRow[]): string {
  const withBeside = rows.filter((r) => r.beside)
  if (withBeside.length === 0) return ''
  return table(
    '(1) beside the servers: the whole machine during each server\'s slices',
    ['server @ edits/s', ...BESIDE_HEADER],
    withBeside.map((r) => [`${r.server} @ ${r.editsPerSecond}`, ...besideCells(r.beside!)]),
  )
}

/** A traced row's main-thread stretches (since 2026-12-08) as cells: see `TraceRow['stretches']`. */
export const STRETCH_HEADER = ['busy > 5 ms', 'longest busy ms', 'preempted > 5 ms', 'longest preempted ms', 'preempted ms/s', 'disk wait > 5 ms', 'longest disk wait ms', 'preempted by (ms/s)']
export const stretchCells = (st: Stretches): string[] => {
  // Busy and disk stretches under 1 ms are not kept: none kept reads "< 1".
  const kept = (ms: number) => (ms > 0 ? f(ms, 1) : '< 1')
  return [
    String(st.busyOver5), kept(st.longestBusyMs), String(st.preemptedOver5), f(st.longestPreemptedMs, 1), f(st.preemptedMsPerSecond, 1),
    String(st.blockedOver5), kept(st.longestBlockedMs), st.preemptedBy?.map(([who, ms]) => `${who} ${f(ms, 1)}`).join(', ') ?? '–',
  ]
}

export function traceTable(rows: TraceRow[] | { skipped: string }): string {
  if (!Array.isArray(rows)) return `\n(1) trace: ${rows.skipped}\n`
  const us = (s: { p50: number; p95: number } | null) => (s ? `${f(s.p50, 0)} / ${f(s.p95, 0)}` : '–')
  const withStretches = rows.filter((r) => r.stretches)
  const stretches = withStretches.length
    ? table(
        '(1) main threads, of each server and of the load process in its slices: stretches on the CPU without a system call (busy), ready but off the CPU (preempted), waiting for the disk',
        ['server @ edits/s', ...STRETCH_HEADER],
        withStretches.flatMap((r) => [
          [`${r.server} @ ${r.editsPerSecond}`, ...stretchCells(r.stretches!)],
          ...(r.loadStretches ? [[`  load, its slices`, ...stretchCells(r.loadStretches)]] : []),
        ]),
      )
    : ''
  return table(
    '(1) inside the servers (perf): per relayed update, p50 / p95 µs from the read of the update to the writes to sockets',
    ['server @ edits/s', 'relays', 'writes', 'read → 1st write', 'fan-out', 'read → last write', 'per write', 'in the call', 'read → store', 'store writes', 'store → 1st write'],
    rows.map((r) => [
      `${r.server} @ ${r.editsPerSecond}`, String(r.relays), f(r.writesPerRelay, 0), us(r.readToFirstUs), us(r.fanOutUs), us(r.readToLastUs),
      us(r.perWriteUs ?? null), us(r.inWritevUs ?? null), us(r.readToStoreUs), us(r.storeUs), us(r.storeToFirstUs),
    ]),
  ) + stretches
}

export function capacityTable(rows: CapacityResult[]): string {
  const steps = table(
    '(2) capacity steps: rooms × 30 participants, 0.2 edits/s each + cursor at 5 Hz',
    ['server', 'rooms', 'p50', 'p95', 'p99', 'cpu %', 'waited %', 'rss MiB', 'load cpu %', 'load waited %', 'machine %', 'steal %', 'note'],
    rows.flatMap((c) =>
      c.steps.map((s) => [
        c.server, String(s.rooms), f(s.latencyMs.p50, 1), f(s.latencyMs.p95, 1), f(s.latencyMs.p99, 1), f(s.serverCpuPercent, 0), f(s.serverWaitPercent ?? NaN, 0),
        f(s.serverRssMiB, 0), f(s.loadCpuPercent, 0), f(s.loadWaitPercent ?? NaN, 0), f(s.machineCpuPercent ?? NaN, 0), f(s.stealCpuPercent ?? NaN, 1), s.error ? `error: ${s.error.slice(0, 60)}` : s.lost ? `${s.lost} lost` : '',
      ]),
    ),
  )
  const summary = table(
    '(2) capacity: most rooms with p99 ≤ 100 ms',
    ['server', 'rooms', 'rss MiB', 'MiB/room'],
    rows.map((c) => [c.server, `${c.rooms}${c.limitNotReached ? '+' : ''}`, f(c.rssMiB, 0), f(c.mibPerRoom, 2)]),
  )
  return steps + summary
}

export function joinTable(rows: JoinRow[]): string {
  return table(
    '(3) join: a new participant gets the synced board of a 60-participant workshop (ms)',
    ['server', 'board bytes', 'sync p50', 'sync p95', 'sync max', 'HTTP join + sync p50', 'p95'],
    rows.map((r) => [
      r.server + (r.error ? ` (error: ${r.error.slice(0, 40)})` : ''), String(r.boardBytes), f(r.syncMs.p50, 1), f(r.syncMs.p95, 1), f(r.syncMs.max, 1),
      r.joinAndSyncMs ? f(r.joinAndSyncMs.p50, 1) : '–', r.joinAndSyncMs ? f(r.joinAndSyncMs.p95, 1) : '–',
    ]),
  )
}

export function clientTable(c: ClientSizeResult): string {
  if (c.error) return `\n(6) client: ${c.error}\n`
  return table(
    '(6) client: production JS + CSS for the participant\'s first page (gzip)',
    ['file', 'bytes', 'gzip'],
    [
      ...c.firstPage.files.map((a) => [a.file, String(a.bytes), String(a.gzipBytes)]),
      ['first page total', String(c.firstPage.bytes), `${(c.firstPage.gzipBytes / 1000).toFixed(1)} KB`],
      [`later chunks (${c.lazy.files}, dynamic import)`, String(c.lazy.bytes), `${(c.lazy.gzipBytes / 1000).toFixed(1)} KB`],
    ],
  )
}

export type StoreRow = { kind: string; concurrency: number; paced?: boolean; perSec: number; p50Ms: number; p99Ms: number; maxMs?: number; over1Ms?: number }

/** One store row as cells: store, writers, updates/s, p50, p99, max, appends over 1 ms. */
export const storeCells = (r: StoreRow): string[] => [
  r.kind, r.paced ? `${r.concurrency}, paced 1 ms` : String(r.concurrency), String(r.perSec), f(r.p50Ms, 3), f(r.p99Ms, 3),
  r.maxMs === undefined ? '–' : f(r.maxMs, 3), r.over1Ms === undefined ? '–' : String(r.over1Ms),
]
export const STORE_HEADER = ['store', 'writers', 'updates/s', 'p50 ms', 'p99 ms', 'max ms', 'over 1 ms']
type ExportRow = { participants: number; pages: number; reportMs: number; reportBytes: number; sheetMs: number; sheetBytes: number }

export function storeTable(v: unknown): string {
  const rows = (v as { store?: StoreRow[] } | undefined)?.store
  if (!Array.isArray(rows)) return `\n(4) store: ${JSON.stringify(v)}\n`
  return table(
    '(4) store: sustained appendUpdate (~60-byte updates over 30 documents)',
    STORE_HEADER,
    rows.map(storeCells),
  )
}

export function exportsTable(v: unknown): string {
  const e = v as { exports?: ExportRow[]; coldReportMs?: number } | undefined
  if (!Array.isArray(e?.exports)) return `\n(5) exports: ${JSON.stringify(v)}\n`
  return (
    table(
      '(5) exports: median wall time (ms) and size',
      ['participants', 'pages', 'report ms', 'report bytes', 'sheet ms', 'sheet bytes'],
      e.exports.map((r) => [String(r.participants), String(r.pages), f(r.reportMs, 1), String(r.reportBytes), f(r.sheetMs, 1), String(r.sheetBytes)]),
    ) + (e.coldReportMs !== undefined ? `first report of the process (fonts parsed): ${f(e.coldReportMs, 1)} ms\n` : '')
  )
}

export function printReport(results: Results): void {
  const s = results.scenarios
  let out = ''
  if (s.latency?.length) out += latencyTable(s.latency) + besideTable(s.latency)
  if (s.latencyTrace) out += traceTable(s.latencyTrace)
  if (s.capacity?.length) out += capacityTable(s.capacity)
  if (s.join?.length) out += joinTable(s.join)
  if (s.store !== undefined) out += storeTable(s.store)
  if (s.exports !== undefined) out += exportsTable(s.exports)
  if (s.client) out += clientTable(s.client)
  process.stdout.write(out + '\n')
}
