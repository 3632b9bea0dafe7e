// Scenario 1: one room of 30 participants, each editing at 1, 5 and 10 edits/s. Latency from the
// sender to every other client, server CPU and memory, per server. At each rate every server has
// its room connected at once, and the servers take turns in one-second slices, in an order that
// changes every cycle (`balanced`): the machine's speed, which drifts by up to 2× within minutes
// here, then weighs on every server alike, and so does what the previous server leaves behind.
// Each slice records every delivery of what was sent in it, however late.
// kasane-2nodes (when started) runs here only; its CPU and memory are both nodes' sums.
import { balanced, checkDelivery, targetOf, type Ctx } from './context.js'
import type { LoadProc, SetupResult, StopResult, WindowResult } from './loadproc.js'
import { cpuMeter, machineCounters, machineDelta, memoryMiB, type MachineCounters } from './proc.js'
import type { RunningServer, ServerKind } from './servers.js'
import { concat, monotonicUs, ratioIntervals, summarize, type Summary } from './stats.js'

export type LatencyRow = {
  server: ServerKind
  editsPerSecond: number
  /** Sent → handled by the receiver (applied, for these `full` clients). */
  latencyMs: Summary
  /** Sent → read by the receiving process, before any receiver's work (recorded since 2026-12-07). */
  readMs?: Summary
  serverCpuPercent: number
  serverRssMiB: number
  loadCpuPercent: number
  loadLoopDelayP99Ms: number
  delivered: number
  lost: number
  /** Slices of `sliceMs` this server edited in, interleaved with the other servers'. */
  slices: number
  sliceMs: number
  /** 95 % intervals of the p50 and p99 ratios against the stock server, handled and read (since 2026-12-08): see `ratioIntervals`. */
  vsStock?: { p50: Interval; p99: Interval; readP50: Interval; readP99: Interval }
  /** The whole machine during this server's slices (since 2026-12-08): see `besideOf`. */
  beside?: Beside
  /** When this rate's slices ran, on the monotonic clock in µs (what `--trace` reads). */
  windowUs?: [number, number]
  /** When this server's own slices ran, the same way (since 2026-12-08). */
  slicesUs?: [number, number][]
}

/**
 * What ran beside the servers and the load generator during one server's slices: CPU time in % of
 * one core (the machine's system time, of which the kernel threads' and deferred network work,
 * time waiting for the disk, time the hypervisor took), pages dirtied and written back per second.
 */
export type Beside = {
  systemCpuPercent: number
  kthreadCpuPercent: number
  softirqCpuPercent: number
  iowaitPercent: number
  stealPercent: number
  dirtiedPerSecond: number
  writtenPerSecond: number
  /** How long the server's event loop (both nodes' summed) waited for a core while ready to run, % of its slices (since 2026-12-08, run 18). */
  serverWaitPercent?: number
}

function besideOf(m: MachineCounters, ms: number, serverWaitMs: number): Beside {
  const pct = (v: number) => (v / ms) * 100
  return {
    serverWaitPercent: pct(serverWaitMs),
    systemCpuPercent: pct(m.systemMs),
    kthreadCpuPercent: pct(m.kthreadMs),
    softirqCpuPercent: pct(m.softirqMs),
    iowaitPercent: pct(m.iowaitMs),
    stealPercent: pct(m.stealMs),
    dirtiedPerSecond: (m.dirtied / ms) * 1000,
    writtenPerSecond: (m.written / ms) * 1000,
  }
}

type Interval = [number, number]

export const PARTICIPANTS = 30
const SLICE_MS = 1_000
const DRAIN_MS = 5_000

export async function scenarioLatency(ctx: Ctx, load: LoadProc, servers: Map<ServerKind, RunningServer>): Promise<LatencyRow[]> {
  const warmupMs = ctx.quick ? 800 : 3_000
  const cycles = ctx.cycles ?? (ctx.quick ? 3 : 30)
  const kinds = [...ctx.servers, ...(servers.has('kasane-2nodes') ? (['kasane-2nodes'] as const) : [])]
  const rows: LatencyRow[] = []
  for (const rate of ctx.rates) {
    if (Date.now() > ctx.deadline) {
      ctx.log(`scenario 1: time budget used up, skipping ${rate}/s`)
      continue
    }
    const group = (kind: ServerKind) => `s1-${kind}-${rate}`
    for (const kind of kinds) {
      const plan = { target: targetOf(servers.get(kind)!), roomIndex: ctx.nextRoom(), participants: PARTICIPANTS, runId: ctx.runId }
      await load.request<SetupResult>({ op: 'setup', group: group(kind), plans: [plan], mode: 'full' })
      await load.request({ op: 'slice', group: group(kind), editsPerSecond: rate, ms: warmupMs, drainMs: DRAIN_MS })
    }
    const acc = new Map(kinds.map((k) => [k, { lat: [] as Float64Array[], read: [] as Float64Array[], cpuMs: 0, waitMs: 0, loadCpu: [] as number[], lag: [] as number[], machine: undefined as MachineCounters | undefined, slicesUs: [] as [number, number][] }]))
    const from = monotonicUs()
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const kind of balanced(kinds, cycle)) {
        const pids = servers.get(kind)!.pids ?? [servers.get(kind)!.pid]
        const meters = pids.map(cpuMeter)
        const machine0 = machineCounters()
        const us0 = monotonicUs()
        const w = await load.request<WindowResult>({ op: 'slice', group: group(kind), editsPerSecond: rate, ms: SLICE_MS, drainMs: DRAIN_MS })
        const a = acc.get(kind)!
        a.slicesUs.push([us0, monotonicUs()])
        for (const m of meters.map((meter) => meter.stop())) {
          a.cpuMs += m.cpuMs
          a.waitMs += m.waitMs
        }
        a.machine = machineDelta(machine0, machineCounters(), a.machine)
        a.lat.push(w.latencies)
        a.read.push(w.reads)
        a.loadCpu.push(w.loadCpuPercent)
        a.lag.push(w.loopDelayP99Ms)
      }
    }
    const windowUs: [number, number] = [from, monotonicUs()]
    for (const kind of kinds) {
      const pids = servers.get(kind)!.pids ?? [servers.get(kind)!.pid]
      const rss = pids.reduce((sum, pid) => sum + memoryMiB(pid).rss, 0)
      const stop = await load.request<StopResult>({ op: 'stop', group: group(kind), drainMs: DRAIN_MS })
      await load.request({ op: 'close', group: group(kind) })
      checkDelivery(ctx, `scenario 1 ${kind} ${rate}/s`, stop)
      const a = acc.get(kind)!
      const ms = a.slicesUs.reduce((sum, [from, to]) => sum + (to - from), 0) / 1000
      const latencyMs = summarize(concat(a.lat))
      const stock = kind === 'stock' ? undefined : acc.get('stock')
      const [p50, p99] = stock ? ratioIntervals(a.lat, stock.lat, [0.5, 0.99]) : []
      const [readP50, readP99] = stock ? ratioIntervals(a.read, stock.read, [0.5, 0.99]) : []
      const readMs = summarize(concat(a.read))
      rows.push({
        server: kind,
        editsPerSecond: rate,
        latencyMs,
        readMs,
        serverCpuPercent: (a.cpuMs / ms) * 100,
        serverRssMiB: rss,
        loadCpuPercent: a.loadCpu.reduce((x, y) => x + y, 0) / a.loadCpu.length,
        loadLoopDelayP99Ms: Math.max(...a.lag),
        delivered: stop.expected - stop.lost,
        lost: stop.lost,
        slices: cycles,
        sliceMs: SLICE_MS,
        vsStock: stock && { p50: p50!, p99: p99!, readP50: readP50!, readP99: readP99! },
        beside: a.machine && besideOf(a.machine, ms, a.waitMs),
        windowUs,
        slicesUs: a.slicesUs,
      })
      ctx.log(`scenario 1 ${kind.padEnd(13)} ${String(rate).padStart(2)}/s: p50 ${latencyMs.p50.toFixed(2)} p99 ${latencyMs.p99.toFixed(2)} ms (read: ${readMs.p50.toFixed(2)}, ${readMs.p99.toFixed(2)}), n ${latencyMs.n}`)
    }
  }
  return rows
}
