// Scenario 2: capacity. Rooms of 30 participants at a workshop-like rate (0.2 edits/s each and a
// cursor in awareness at 5 Hz) are added step by step until p99 passes 100 ms. Each server gets
// the same steps, in turn, with only its own rooms active during its measurement.
import { checkDelivery, rotate, targetOf, type Ctx } from './context.js'
import type { LoadProc, SetupResult, StopResult, WindowResult } from './loadproc.js'
import { cpuMeter, machineCounters, machineDelta, memoryMiB } from './proc.js'
import type { RoomPlan } from './rooms.js'
import type { RunningServer, ServerKind } from './servers.js'
import { concat, sleep, summarize, type Summary } from './stats.js'

export const P99_LIMIT_MS = 100
const PARTICIPANTS = 30
/** Each participant's pace: 0.2 edits/s and a cursor moved at 5 Hz. */
export const CAPACITY_RATE = { editsPerSecond: 0.2, awarenessHz: 5 }
/** At most this many connections share one source address (Kasane allows 1000 per address). */
const CONNECTIONS_PER_ADDRESS = 900

export type CapacityStep = {
  server: ServerKind
  rooms: number
  clients: number
  latencyMs: Summary
  serverCpuPercent: number
  serverRssMiB: number
  loadCpuPercent: number
  loadLoopDelayP99Ms: number
  /**
   * The whole machine's busy time and its kernel threads' in the window, % of one core (since
   * 2026-12-08): what is beyond the server's and the load processes' is other work on the cores.
   */
  machineCpuPercent?: number
  kthreadCpuPercent?: number
  /** Time the hypervisor gave to other guests while this machine had work, % of one core. */
  stealCpuPercent?: number
  /**
   * Share of the window the server's event loop waited for a core while ready to run, and the load
   * processes' main threads (summed), in % (since 2026-12-08, run 18).
   */
  serverWaitPercent?: number
  loadWaitPercent?: number
  setupRateLimited: number
  lost: number
  error?: string
}

export type CapacityResult = {
  server: ServerKind
  /** Most rooms measured with p99 ≤ 100 ms (0: not even the first step). */
  rooms: number
  /** True when the last step still passed: the real limit is higher than measured. */
  limitNotReached: boolean
  rssMiB: number
  baselineRssMiB: number
  mibPerRoom: number
  steps: CapacityStep[]
}

type Measured = { latency: Summary; cpuPercent: number; rssMiB: number; loadCpuPercent: number; loopDelayP99Ms: number; machineCpuPercent: number; kthreadCpuPercent: number; stealCpuPercent: number; serverWaitPercent: number; loadWaitPercent: number; stop: StopResult }

/** One window with every room of `group` active; the rooms are stopped again afterwards. */
async function measure(loads: LoadProc[], group: string, pid: number, warmupMs: number, windowMs: number): Promise<Measured> {
  await Promise.all(loads.map((l) => l.request({ op: 'start', group, ...CAPACITY_RATE })))
  await sleep(warmupMs)
  const meter = cpuMeter(pid)
  const loadMeters = loads.map((l) => cpuMeter(l.pid))
  const machine0 = machineCounters()
  const windows = await Promise.all(loads.map((l) => l.request<WindowResult>({ op: 'window', ms: windowMs })))
  const machine = machineDelta(machine0, machineCounters())
  const cpu = meter.stop()
  const loadWaitPercent = loadMeters.reduce((n, m) => n + m.stop().waitPercent, 0)
  const ofWindow = (ms: number) => (ms / cpu.ms) * 100
  const rssMiB = memoryMiB(pid).rss
  // An overloaded server still owes a backlog of seconds: it is waited for, not counted as lost.
  const stops = await Promise.all(loads.map((l) => l.request<StopResult>({ op: 'stop', group, drainMs: 30_000 })))
  const sum = (f: (s: StopResult) => number) => stops.reduce((n, s) => n + f(s), 0)
  return {
    latency: summarize(concat(windows.map((w) => w.latencies))),
    cpuPercent: cpu.cpuPercent,
    rssMiB,
    loadCpuPercent: windows.reduce((n, w) => n + w.loadCpuPercent, 0),
    loopDelayP99Ms: Math.max(...windows.map((w) => w.loopDelayP99Ms)),
    machineCpuPercent: ofWindow(machine.busyMs),
    kthreadCpuPercent: ofWindow(machine.kthreadMs),
    stealCpuPercent: ofWindow(machine.stealMs),
    serverWaitPercent: cpu.waitPercent,
    loadWaitPercent,
    stop: {
      sent: sum((s) => s.sent), expected: sum((s) => s.expected), lost: sum((s) => s.lost), gaps: sum((s) => s.gaps),
      duplicates: sum((s) => s.duplicates), endStateErrors: sum((s) => s.endStateErrors), closedClients: sum((s) => s.closedClients),
    },
  }
}

/**
 * Memory growth per room between the first step and the best one. A server's RSS right after start
 * still holds its start-up garbage, so the idle baseline would understate it; a GC between two
 * steps can still make it meaningless at small counts (reported as NaN when negative).
 */
function perRoom(first: CapacityStep | undefined, best: CapacityStep | undefined): number {
  if (!first || !best || best.rooms <= first.rooms) return NaN
  const v = (best.serverRssMiB - first.serverRssMiB) / (best.rooms - first.rooms)
  return v > 0 ? v : NaN
}

function addressFor(roomNumber: number): string | undefined {
  const perAddress = Math.floor(CONNECTIONS_PER_ADDRESS / PARTICIPANTS)
  const a = Math.floor(roomNumber / perAddress)
  return a === 0 ? undefined : `127.0.0.${1 + a}`
}

/** Rooms `from`..`to`-1 of a capacity ladder, spread over `loads` load processes. */
export function capacityPlans(ctx: Ctx, server: RunningServer, from: number, to: number, loads: number): RoomPlan[][] {
  const plans: RoomPlan[][] = Array.from({ length: loads }, () => [])
  for (let r = from; r < to; r++) {
    plans[r % loads]!.push({ target: targetOf(server), roomIndex: ctx.nextRoom(), participants: PARTICIPANTS, runId: ctx.runId, localAddress: addressFor(r) })
  }
  return plans
}

export async function scenarioCapacity(ctx: Ctx, loads: LoadProc[], servers: Map<ServerKind, RunningServer>): Promise<CapacityResult[]> {
  const steps = ctx.quick ? [1, 2] : [2, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160]
  const warmupMs = ctx.quick ? 1_000 : 3_000
  const windowMs = ctx.quick ? 3_000 : 10_000
  const state = new Map<ServerKind, { rooms: number; done: boolean; baseline: number; steps: CapacityStep[] }>()
  for (const kind of ctx.servers) state.set(kind, { rooms: 0, done: false, baseline: memoryMiB(servers.get(kind)!.pid).rss, steps: [] })

  for (let i = 0; i < steps.length; i++) {
    const target = steps[i]!
    for (const kind of rotate(ctx.servers, i)) {
      const st = state.get(kind)!
      if (st.done) continue
      if (Date.now() > ctx.deadline) {
        ctx.log(`scenario 2: time budget used up, stopping ${kind} at ${st.rooms} rooms`)
        st.done = true
        continue
      }
      const server = servers.get(kind)!
      const group = `cap-${kind}`
      const step: CapacityStep = {
        server: kind, rooms: target, clients: target * PARTICIPANTS, latencyMs: summarize([]), serverCpuPercent: NaN,
        serverRssMiB: NaN, loadCpuPercent: NaN, loadLoopDelayP99Ms: NaN, setupRateLimited: 0, lost: 0,
      }
      try {
        const plans = capacityPlans(ctx, server, st.rooms, target, loads.length)
        const setups = await Promise.all(loads.map((l, k) => (plans[k]!.length ? l.request<SetupResult>({ op: 'setup', group, plans: plans[k], mode: 'lite' }) : null)))
        step.setupRateLimited = setups.reduce((n, s) => n + (s?.rateLimited ?? 0), 0)
        st.rooms = target
        // A step over the limit is measured once more before it counts: one noisy window on a
        // shared machine should not end the ladder.
        const attempts = ctx.quick ? 1 : 2
        for (let attempt = 0; attempt < attempts; attempt++) {
          const m = await measure(loads, group, server.pid, warmupMs, windowMs)
          checkDelivery(ctx, `scenario 2 ${kind} ${target} rooms`, m.stop)
          if (attempt === 0 || m.latency.p99 < step.latencyMs.p99) {
            step.latencyMs = m.latency
            step.serverCpuPercent = m.cpuPercent
            step.serverRssMiB = m.rssMiB
            step.loadCpuPercent = m.loadCpuPercent
            step.loadLoopDelayP99Ms = m.loopDelayP99Ms
            step.machineCpuPercent = m.machineCpuPercent
            step.kthreadCpuPercent = m.kthreadCpuPercent
            step.stealCpuPercent = m.stealCpuPercent
            step.serverWaitPercent = m.serverWaitPercent
            step.loadWaitPercent = m.loadWaitPercent
          }
          step.lost += m.stop.lost
          if (m.stop.lost > 0 || m.stop.closedClients > 0) {
            st.done = true
            break
          }
          if (step.latencyMs.p99 <= P99_LIMIT_MS) break
          if (attempt === attempts - 1) st.done = true
        }
      } catch (err) {
        step.error = err instanceof Error ? err.message.split('\n')[0] : String(err)
        st.done = true
      }
      st.steps.push(step)
      ctx.log(
        `scenario 2 ${kind.padEnd(10)} ${String(target).padStart(3)} rooms: p50 ${step.latencyMs.p50.toFixed(1)} p99 ${step.latencyMs.p99.toFixed(1)} ms, ` +
          `server cpu ${step.serverCpuPercent.toFixed(0)}% rss ${step.serverRssMiB.toFixed(0)} MiB, load cpu ${step.loadCpuPercent.toFixed(0)}%` +
          (step.machineCpuPercent === undefined ? '' : `, machine ${step.machineCpuPercent.toFixed(0)}% (kernel threads ${step.kthreadCpuPercent!.toFixed(1)}%), steal ${step.stealCpuPercent!.toFixed(1)}%`) +
          (step.serverWaitPercent === undefined ? '' : `, waited for a core: server ${step.serverWaitPercent.toFixed(0)}%, load ${step.loadWaitPercent!.toFixed(0)}%`) +
          (step.error ? `, error: ${step.error}` : ''),
      )
    }
    if ([...state.values()].every((s) => s.done)) break
  }
  for (const kind of ctx.servers) await Promise.all(loads.map((l) => l.request({ op: 'close', group: `cap-${kind}` }).catch(() => {})))

  return ctx.servers.map((kind) => {
    const st = state.get(kind)!
    const passing = st.steps.filter((s) => !s.error && s.lost === 0 && s.latencyMs.p99 <= P99_LIMIT_MS)
    const best = passing[passing.length - 1]
    const last = st.steps[st.steps.length - 1]
    return {
      server: kind,
      rooms: best?.rooms ?? 0,
      limitNotReached: !!best && best === last,
      rssMiB: best?.serverRssMiB ?? NaN,
      baselineRssMiB: st.baseline,
      mibPerRoom: perRoom(st.steps[0], best),
      steps: st.steps,
    }
  })
}
