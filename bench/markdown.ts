// `npx tsx bench/markdown.ts bench/results/<date>.json`: the figures of one run as the Markdown
// tables of bench/README.md, so that the README shows exactly what a run measured.
import { readFileSync } from 'node:fs'
import type { ClientSizeResult } from './client-size.js'
import type { CapacityResult } from './scenario-capacity.js'
import type { JoinRow } from './scenario-join.js'
import type { LatencyRow } from './scenario-latency.js'
import type { TraceRow } from './trace.js'
import { BESIDE_HEADER, besideCells, STORE_HEADER, STRETCH_HEADER, stockRatioCells, storeCells, stretchCells, type StoreRow } from './report.js'

type Results = {
  date: string
  command: string
  quick: boolean
  durationSeconds: number
  machine: { cpus: number; model: string; node: string; loadAverageAtStart?: number[]; loadAverageAtEnd?: number[] }
  scenarios: {
    latency?: LatencyRow[]
    latencyTrace?: TraceRow[] | { skipped: string }
    capacity?: CapacityResult[]
    join?: JoinRow[]
    store?: { store?: StoreRow[]; error?: string; skipped?: string }
    exports?: { exports?: { participants: number; pages: number; reportMs: number; reportBytes: number; sheetMs: number; sheetBytes: number }[]; coldReportMs?: number; error?: string; skipped?: string }
    client?: ClientSizeResult
  }
  failures?: string[]
}

const f = (v: number | undefined, d = 1) => (v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '–')
const md = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n'

export function markdown(r: Results): string {
  const s = r.scenarios
  const out: string[] = []
  const load = (v?: number[]) => (v ? v.join(' / ') : '?')
  out.push(
    `Run of ${r.date}: \`${r.command}\` (${r.quick ? 'quick' : 'full'}, ${r.durationSeconds} s), ${r.machine.cpus} × ${r.machine.model}, Node ${r.machine.node}; ` +
      `load average ${load(r.machine.loadAverageAtStart)} at the start, ${load(r.machine.loadAverageAtEnd)} at the end.\n`,
  )
  if (s.latency?.length) {
    out.push(
      '**(1) One room, 30 participants** — latency from sender to every other client, ms: handled (applied by the receiver) and ' +
        'read (by the receiving process, before any receiver\'s work); × = against the stock server.\n',
    )
    out.push(
      md(
        ['server', 'edits/s each', 'p50', 'p95', 'p99', 'p50 ×', 'p99 ×', 'read p50', 'read p99', 'read p50 ×', 'read p99 ×', 'server CPU %', 'RSS MiB', 'deliveries checked', 'lost'],
        s.latency.map((row) => {
          const [p50, p99, readP50, readP99] = stockRatioCells(row, s.latency!)
          return [
            row.server, String(row.editsPerSecond), f(row.latencyMs.p50, 2), f(row.latencyMs.p95, 2), f(row.latencyMs.p99, 2),
            p50, p99, f(row.readMs?.p50 ?? NaN, 2), f(row.readMs?.p99 ?? NaN, 2), readP50, readP99,
            f(row.serverCpuPercent, 0), f(row.serverRssMiB, 0), String(row.delivered), String(row.lost),
          ]
        }),
      ),
    )
  }
  const beside = s.latency?.filter((row) => row.beside) ?? []
  if (beside.length) {
    out.push('**(1) Beside the servers** — the whole machine during each server\'s slices: CPU in % of one core, pages per second.\n')
    out.push(md(['server', 'edits/s each', ...BESIDE_HEADER], beside.map((row) => [row.server, String(row.editsPerSecond), ...besideCells(row.beside!)])))
  }
  if (Array.isArray(s.latencyTrace)) {
    const us = (v: { p50: number; p95: number } | null) => (v ? `${f(v.p50, 0)} / ${f(v.p95, 0)}` : '–')
    out.push('**(1) Inside the servers** (`--trace`) — per relayed update, p50 / p95 µs from the server reading it to its writes to the sockets.\n')
    out.push(
      md(
        ['server', 'edits/s each', 'relays', 'read → 1st write', 'fan-out', 'read → last write', 'per write', 'in the call', 'read → store', 'store writes', 'store → 1st write'],
        s.latencyTrace.map((t) => [
          t.server, String(t.editsPerSecond), String(t.relays), us(t.readToFirstUs), us(t.fanOutUs), us(t.readToLastUs),
          us(t.perWriteUs ?? null), us(t.inWritevUs ?? null), us(t.readToStoreUs), us(t.storeUs), us(t.storeToFirstUs),
        ]),
      ),
    )
  }
  const stretched = Array.isArray(s.latencyTrace) ? s.latencyTrace.filter((t) => t.stretches) : []
  if (stretched.length) {
    out.push(
      '**(1) Main threads** (`--trace`), of each server and of the load process in that server\'s slices — stretches on the CPU without a system call (busy), ready to run but off the CPU (preempted; ms per second of the slices), waiting for the disk.\n',
    )
    out.push(
      md(
        ['server', 'edits/s each', ...STRETCH_HEADER],
        stretched.flatMap((t) => [
          [t.server, String(t.editsPerSecond), ...stretchCells(t.stretches!)],
          ...(t.loadStretches ? [[`load process, ${t.server}'s slices`, String(t.editsPerSecond), ...stretchCells(t.loadStretches)]] : []),
        ]),
      ),
    )
  }
  if (s.capacity?.length) {
    out.push('**(2) Capacity** — rooms of 30 at 0.2 edits/s each plus a cursor at 5 Hz; most rooms with edit p99 ≤ 100 ms.\n')
    out.push(
      md(
        ['server', 'rooms (p99 ≤ 100 ms)', 'clients', 'RSS MiB', 'MiB per room', 'steps (rooms: p99 ms)'],
        s.capacity.map((c) => [
          c.server, `${c.rooms}${c.limitNotReached ? '+' : ''}`, String(c.rooms * 30), f(c.rssMiB, 0), f(c.mibPerRoom, 2),
          c.steps.map((st) => `${st.rooms}: ${st.error ? 'error' : f(st.latencyMs.p99, 0)}`).join(', '),
        ]),
      ),
    )
    // Since 2026-12-08: the whole machine in each window, beside the server and the load processes.
    const knee = s.capacity.flatMap((c) => c.steps.slice(-3).filter((st) => st.machineCpuPercent !== undefined))
    if (knee.length) {
      out.push('Where the two cores went in each server\'s last three steps, % of one core (200 % is the whole machine), and how long the main threads waited for a core while ready to run, % of the window:\n')
      out.push(
        md(
          ['server', 'rooms', 'p99 ms', 'server', 'load processes', 'whole machine', 'of it kernel threads', 'steal', 'server waited', 'load processes waited'],
          knee.map((st) => [
            st.server, String(st.rooms), f(st.latencyMs.p99, 0), f(st.serverCpuPercent, 0), f(st.loadCpuPercent, 0), f(st.machineCpuPercent, 0), f(st.kthreadCpuPercent), f(st.stealCpuPercent),
            f(st.serverWaitPercent ?? NaN, 0), f(st.loadWaitPercent ?? NaN, 0),
          ]),
        ),
      )
    }
  }
  if (s.join?.length) {
    out.push('**(3) Join** — a new participant gets the synced board of a 60-participant workshop (60 connected), ms.\n')
    out.push(
      md(
        ['server', 'board bytes', 'sync p50', 'sync p95', 'HTTP join + sync p50', 'p95'],
        s.join.map((j) => [j.server, String(j.boardBytes), f(j.syncMs.p50), f(j.syncMs.p95), j.joinAndSyncMs ? f(j.joinAndSyncMs.p50) : '–', j.joinAndSyncMs ? f(j.joinAndSyncMs.p95) : '–']),
      ),
    )
  }
  if (s.store) {
    out.push('**(4) Store** — sustained `appendUpdate`.\n')
    out.push(
      s.store.store
        ? md(STORE_HEADER, s.store.store.map(storeCells))
        : `not measured: ${s.store.error ?? s.store.skipped}\n`,
    )
  }
  if (s.exports) {
    out.push('**(5) Exports** — median wall time.\n')
    out.push(
      s.exports.exports
        ? md(
            ['participants', 'report pages', 'report ms', 'report bytes', 'sheet ms', 'sheet bytes'],
            s.exports.exports.map((e) => [String(e.participants), String(e.pages), f(e.reportMs), String(e.reportBytes), f(e.sheetMs), String(e.sheetBytes)]),
          ) + (s.exports.coldReportMs !== undefined ? `\nFirst report of a process (fonts parsed): ${f(s.exports.coldReportMs)} ms.\n` : '')
        : `not measured: ${s.exports.error ?? s.exports.skipped}\n`,
    )
  }
  if (s.client) {
    const c = s.client
    out.push('**(6) Client** — production JS + CSS of the participant\'s first page, gzip.\n')
    out.push(
      c.error
        ? `not measured: ${c.error}\n`
        : md(['asset', 'bytes', 'gzip bytes'], [
            ...c.firstPage.files.map((a) => [a.file, String(a.bytes), String(a.gzipBytes)]),
            ['**first page**', String(c.firstPage.bytes), `**${c.firstPage.gzipBytes}** (${(c.firstPage.gzipBytes / 1000).toFixed(1)} KB)`],
            [`later chunks (${c.lazy.files})`, String(c.lazy.bytes), String(c.lazy.gzipBytes)],
          ]),
    )
  }
  if (r.failures?.length) out.push(`Failures: ${r.failures.join('; ')}\n`)
  return out.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2]
  if (!file) throw new Error('usage: npx tsx bench/markdown.ts bench/results/<date>.json')
  process.stdout.write(markdown(JSON.parse(readFileSync(file, 'utf8')) as Results))
}
