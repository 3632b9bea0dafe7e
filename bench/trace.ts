// `npm run bench -- --only=1 --trace`: where an update's time goes inside each server, measured from
// outside, with neither server changed. While scenario 1 runs, `perf record` notes the system calls
// of every server's main thread on the monotonic clock: each read, each write to a socket
// (`writev`, or `write` for a single buffer) and each write to the store's file (`pwrite64`,
// Kasane's SQLite). For every update a server relays — a read followed by at least RELAYED writes
// to sockets — it takes the time from the read's return to the first write's return, the fan-out
// from the first to the last write (per write, and of that the time inside the call: the kernel's
// share), and, before the first write, the store's writes. Per server and rate, over the same
// interleaved slices as the latencies. It also notes every switch of those threads, and of the
// load process's main thread, off the CPU (`sched_switch`): how long each was busy, preempted (and
// by whom) or waiting for the disk, over each server's own slices. Needs `perf` (Debian's
// linux-perf) and the right to trace (root here).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { LatencyRow } from './scenario-latency.js'
import type { ServerKind } from './servers.js'
import { summarize, type Summary } from './stats.js'

/** A relay to a room of 30 writes to 29 sockets; fewer writes after a read are something else. */
const RELAYED = 20
const EVENTS = [
  ...['sys_exit_read', 'sys_enter_writev', 'sys_exit_writev', 'sys_enter_write', 'sys_exit_write', 'sys_enter_pwrite64', 'sys_exit_pwrite64'].map((e) => `syscalls:${e}`),
  'sched:sched_switch',
]
/** Stretches of the main thread shorter than this are not kept (µs): thousands a second are a few µs each. */
const STRETCH_KEPT_US = 1_000

export type Stretches = {
  busyOver5: number
  longestBusyMs: number
  preemptedOver5: number
  longestPreemptedMs: number
  preemptedMsPerSecond: number
  /** Who had the CPU meanwhile, the three largest shares: thread (`<process> <thread name>`) and ms per second. */
  preemptedBy?: [string, number][]
  blockedOver5: number
  longestBlockedMs: number
}

export type TraceRow = {
  server: ServerKind
  editsPerSecond: number
  /** Relays traced (a read may carry several updates: they count once). */
  relays: number
  writesPerRelay: number
  /** From the read's return to the first socket write's return, µs. */
  readToFirstUs: Summary
  /** From the first socket write's return to the last one's, µs. */
  fanOutUs: Summary
  readToLastUs: Summary
  /** The fan-out divided by the writes after the first, µs: what one more receiver costs (runs since 2026-12-07). */
  perWriteUs?: Summary
  /** Mean time inside one socket write call (`writev` or `write`) of the relay, µs: the kernel's share of a write (runs since 2026-12-07). */
  inWritevUs?: Summary
  /**
   * Where the main thread's longest moments went (runs since 2026-12-08), from its system calls and
   * its switches off the CPU: `busy`, on the CPU without a traced system call (JavaScript, garbage
   * collection, SQLite's work between its writes); `preempted`, ready to run but off the CPU (the
   * cores taken by other processes); `blocked`, off the CPU waiting for the disk. Each the count of
   * stretches over 5 ms and the longest, ms; for `preempted` also the total, ms per second of the
   * server's own slices (of the rate's whole window in runs before `slicesUs` was recorded).
   */
  stretches?: Stretches
  /** The same for the load process's main thread over this server's slices (runs since 2026-12-08): it handles all receivers. */
  loadStretches?: Stretches
  /** Store writes before the first socket write (Kasane): from the read to the first, and from the first to the last, µs. */
  readToStoreUs: Summary | null
  storeUs: Summary | null
  storeToFirstUs: Summary | null
}

/** `loadPid`: the load process, whose main thread is followed as well, over each server's slices. */
export type Tracer = { stop(rows: LatencyRow[], pids: Map<ServerKind, number>, loadPid?: number): Promise<TraceRow[]> }

/** Starts `perf record` on the servers' processes, or explains why it cannot. */
export async function startTrace(pids: number[]): Promise<Tracer | string> {
  if (spawnSync('perf', ['--version']).status !== 0) return 'perf is not installed (apt-get install linux-perf)'
  const dir = mkdtempSync(join(tmpdir(), 'kasane-trace-'))
  const file = join(dir, 'perf.data')
  const perf = spawn('perf', ['record', '-q', '-k', 'CLOCK_MONOTONIC', '-o', file, ...EVENTS.flatMap((e) => ['-e', e]), '-p', pids.join(',')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  perf.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((r) => perf.once('exit', (code) => r(code)))
  // perf says nothing when it starts: give it a moment, then make sure it is still there.
  const early = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 1_000))])
  if (early !== 'running') {
    rmSync(dir, { recursive: true, force: true })
    return `perf record exited with ${early}: ${err.trim().slice(0, 300)}`
  }
  return {
    async stop(rows, servers, loadPid) {
      perf.kill('SIGINT')
      await exited
      try {
        return await analyse(file, rows, servers, loadPid)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/** A stretch of the main thread between two of its traced events: `start` and length in µs. */
export type Stretch = { start: number; us: number; kind: 'busy' | 'preempted' | 'blocked'; by?: { tid: number; comm: string } }

export type Relay = { read: number; store0: number; store1: number; first: number; last: number; writes: number; entered: number; inWritev: number }

/**
 * Every relay of each traced thread (tid = the server's pid: its main thread), in time order, and
 * its longer stretches, from `perf script -F tid,time,event,trace` lines.
 */
export async function relaysOf(lines: AsyncIterable<string> | Iterable<string>, tids: Set<number>): Promise<{ relays: Map<number, Relay[]>; stretches: Map<number, Stretch[]> }> {
  const out = new Map<number, Relay[]>([...tids].map((t) => [t, []]))
  const stretches = new Map<number, Stretch[]>([...tids].map((t) => [t, []]))
  /** Per thread: its last event's time, and whether that event took it off the CPU ready to run (`R`), waiting for the disk (`D`) or asleep. */
  const last = new Map<number, { us: number; off: 'ready' | 'disk' | 'asleep' | null; by?: { tid: number; comm: string } }>()
  const open = new Map<number, Relay>()
  const close = (tid: number) => {
    const r = open.get(tid)
    if (r && r.writes >= RELAYED) out.get(tid)!.push(r)
    open.delete(tid)
  }
  for await (const line of lines) {
    // " 8512  1666.805037: syscalls:sys_exit_read: 0x25"
    // " 8512  1666.805100: sched:sched_switch: prev_comm=node prev_pid=8512 prev_prio=120 prev_state=S ==> next_comm=…"
    const m = /^\s*(\d+)\s+([\d.]+):\s+(syscalls|sched):(\w+):\s*(.*)$/.exec(line)
    if (!m) continue
    const tid = Number(m[1])
    if (!tids.has(tid)) continue
    const us = Number(m[2]) * 1e6
    const event = m[4]
    const prev = last.get(tid)
    // Every moment ready to run counts; on the CPU, or waiting for the disk, only the longer ones.
    if (prev?.off === 'ready') stretches.get(tid)!.push({ start: prev.us, us: us - prev.us, kind: 'preempted', by: prev.by })
    else if (prev && prev.off !== 'asleep' && us - prev.us >= STRETCH_KEPT_US) {
      stretches.get(tid)!.push({ start: prev.us, us: us - prev.us, kind: prev.off === 'disk' ? 'blocked' : 'busy' })
    }
    if (event === 'sched_switch') {
      const state = /prev_state=(\S+)/.exec(m[5]!)?.[1] ?? ''
      // Who took the CPU: the thread switched to (its name may hold spaces).
      const next = /next_comm=(.*?) next_pid=(\d+)/.exec(m[5]!)
      const by = next ? { tid: Number(next[2]), comm: next[1]! } : undefined
      last.set(tid, { us, off: state.startsWith('R') ? 'ready' : state.startsWith('D') ? 'disk' : 'asleep', by })
      continue
    }
    last.set(tid, { us, off: null })
    const r = open.get(tid)
    if (event === 'sys_exit_read') {
      // The return value in hex; an error (-EAGAIN) prints as a huge number.
      const n = Number(m[5]!.trim())
      if (!(n > 0 && n < 2 ** 32)) continue
      close(tid)
      open.set(tid, { read: us, store0: NaN, store1: NaN, first: NaN, last: NaN, writes: 0, entered: NaN, inWritev: 0 })
    } else if (!r) {
      continue
    } else if (event === 'sys_enter_writev' || event === 'sys_enter_write') {
      r.entered = us
    } else if (event === 'sys_exit_writev' || event === 'sys_exit_write') {
      if (r.writes++ === 0) r.first = us
      r.last = us
      r.inWritev += us - r.entered
    } else if (r.writes === 0 && event === 'sys_enter_pwrite64') {
      if (Number.isNaN(r.store0)) r.store0 = us
    } else if (r.writes === 0 && event === 'sys_exit_pwrite64') {
      r.store1 = us
    }
  }
  for (const tid of tids) close(tid)
  return { relays: out, stretches }
}

/** The stretches that start within any of `windows` (monotonic µs), summed over them; `names`: thread id → name, for `preemptedBy`. */
export function stretchesIn(all: Stretch[], windows: [number, number][], names = new Map<number, string>()): Stretches {
  const within = all.filter((st) => windows.some(([from, to]) => st.start >= from && st.start <= to))
  const seconds = windows.reduce((sum, [from, to]) => sum + (to - from), 0) / 1e6
  const of = (kind: Stretch['kind']) => within.filter((st) => st.kind === kind)
  const ms = (list: Stretch[]) => list.map((st) => st.us / 1000)
  const longest = (list: number[]) => list.reduce((a, b) => Math.max(a, b), 0)
  const busy = ms(of('busy'))
  const preemptions = of('preempted')
  const preempted = ms(preemptions)
  const blocked = ms(of('blocked'))
  const by = new Map<string, number>()
  for (const st of preemptions) {
    const name = st.by ? (names.get(st.by.tid) ?? st.by.comm) : '?'
    by.set(name, (by.get(name) ?? 0) + st.us / 1000 / seconds)
  }
  return {
    busyOver5: busy.filter((v) => v > 5).length,
    longestBusyMs: longest(busy),
    preemptedOver5: preempted.filter((v) => v > 5).length,
    longestPreemptedMs: longest(preempted),
    preemptedMsPerSecond: preempted.reduce((a, b) => a + b, 0) / seconds,
    preemptedBy: [...by].sort((a, b) => b[1] - a[1]).slice(0, 3),
    blockedOver5: blocked.filter((v) => v > 5).length,
    longestBlockedMs: longest(blocked),
  }
}

/** `<process> <thread name>` for every thread of the traced processes, read while they still run. */
function threadNames(processes: Map<string, number>): Map<number, string> {
  const names = new Map<number, string>()
  for (const [label, pid] of processes) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()
        names.set(Number(tid), `${label} ${Number(tid) === pid ? 'main' : comm}`)
      }
    } catch {
      // gone already: its threads keep their bare names
    }
  }
  return names
}

async function analyse(file: string, rows: LatencyRow[], pids: Map<ServerKind, number>, loadPid?: number): Promise<TraceRow[]> {
  const script = spawn('perf', ['script', '-i', file, '-F', 'tid,time,event,trace'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const tids = new Set([...pids.values(), ...(loadPid === undefined ? [] : [loadPid])])
  const names = threadNames(new Map([...pids, ...(loadPid === undefined ? [] : ([['load', loadPid]] as const))]))
  const { relays: byTid, stretches } = await relaysOf(createInterface({ input: script.stdout }), tids)
  const out: TraceRow[] = []
  for (const row of rows) {
    const pid = pids.get(row.server)
    if (pid === undefined || !row.windowUs) continue
    const [from, to] = row.windowUs
    const slices = row.slicesUs ?? [row.windowUs]
    const rs = (byTid.get(pid) ?? []).filter((r) => r.read >= from && r.read <= to)
    if (rs.length === 0) continue
    const stored = rs.filter((r) => !Number.isNaN(r.store0))
    const half = stored.length * 2 >= rs.length
    out.push({
      server: row.server,
      editsPerSecond: row.editsPerSecond,
      relays: rs.length,
      writesPerRelay: summarize(rs.map((r) => r.writes)).p50,
      readToFirstUs: summarize(rs.map((r) => r.first - r.read)),
      fanOutUs: summarize(rs.map((r) => r.last - r.first)),
      readToLastUs: summarize(rs.map((r) => r.last - r.read)),
      perWriteUs: summarize(rs.map((r) => (r.last - r.first) / (r.writes - 1))),
      inWritevUs: summarize(rs.map((r) => r.inWritev / r.writes)),
      stretches: stretchesIn(stretches.get(pid) ?? [], slices, names),
      loadStretches: loadPid === undefined ? undefined : stretchesIn(stretches.get(loadPid) ?? [], slices, names),
      readToStoreUs: half ? summarize(stored.map((r) => r.store0 - r.read)) : null,
      storeUs: half ? summarize(stored.map((r) => r.store1 - r.store0)) : null,
      storeToFirstUs: half ? summarize(stored.map((r) => r.first - r.store1)) : null,
    })
  }
  return out
}
