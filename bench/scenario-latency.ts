// Scenario 1: one room of 30 participants, each editing at 1, 5 and 10 edits/s. Latency from the
// sender to every other client, server CPU and memory, per server, alternating the order.
// kasane-2nodes (when started) runs here only; its CPU and memory are both nodes' sums.
import { checkDelivery, rotate, targetOf, type Ctx } from './context.js'
import type { LoadProc, SetupResult, StopResult, WindowResult } from './loadproc.js'
import { cpuMeter, memoryMiB } from './proc.js'
import type { RunningServer, ServerKind } from './servers.js'
import { concat, sleep, summarize, type Summary } from './stats.js'

export type LatencyRow = {
  server: ServerKind
  editsPerSecond: number
  latencyMs: Summary
  serverCpuPercent: number
  serverRssMiB: number
  loadCpuPercent: number
  loadLoopDelayP99Ms: number
  delivered: number
  lost: number
}

export const PARTICIPANTS = 30

export async function scenarioLatency(ctx: Ctx, load: LoadProc, servers: Map<ServerKind, RunningServer>): Promise<LatencyRow[]> {
  const rates = [1, 5, 10]
  const rounds = ctx.quick ? 1 : 2
  const warmupMs = ctx.quick ? 800 : 3_000
  const windowMs = ctx.quick ? 3_000 : 15_000
  const acc = new Map<string, { lat: Float64Array[]; cpu: number[]; rss: number[]; loadCpu: number[]; lag: number[]; delivered: number; lost: number }>()
  const kinds = [...ctx.servers, ...(servers.has('kasane-2nodes') ? (['kasane-2nodes'] as const) : [])]
  let turn = 0
  for (let round = 0; round < rounds; round++) {
    for (const rate of rates) {
      const order = rotate(kinds, turn++)
      for (const kind of round % 2 === 0 ? order : [...order].reverse()) {
        if (Date.now() > ctx.deadline) {
          ctx.log(`scenario 1: time budget used up, skipping ${kind} at ${rate}/s`)
          continue
        }
        const server = servers.get(kind)!
        const group = `s1-${kind}-${rate}-${round}`
        const plan = { target: targetOf(server), roomIndex: ctx.nextRoom(), participants: PARTICIPANTS, runId: ctx.runId }
        await load.request<SetupResult>({ op: 'setup', group, plans: [plan], mode: 'full' })
        await load.request({ op: 'start', group, editsPerSecond: rate, awarenessHz: 0 })
        await sleep(warmupMs)
        const pids = server.pids ?? [server.pid]
        const meters = pids.map((pid) => cpuMeter(pid))
        const w = await load.request<WindowResult>({ op: 'window', ms: windowMs })
        const cpu = { cpuPercent: meters.reduce((sum, m) => sum + m.stop().cpuPercent, 0) }
        const mem = { rss: pids.reduce((sum, pid) => sum + memoryMiB(pid).rss, 0) }
        const stop = await load.request<StopResult>({ op: 'stop', group, drainMs: 5_000 })
        await load.request({ op: 'close', group })
        checkDelivery(ctx, `scenario 1 ${kind} ${rate}/s`, stop)
        const key = `${kind}@${rate}`
        const a = acc.get(key) ?? { lat: [], cpu: [], rss: [], loadCpu: [], lag: [], delivered: 0, lost: 0 }
        a.lat.push(w.latencies)
        a.cpu.push(cpu.cpuPercent)
        a.rss.push(mem.rss)
        a.loadCpu.push(w.loadCpuPercent)
        a.lag.push(w.loopDelayP99Ms)
        a.delivered += stop.expected - stop.lost
        a.lost += stop.lost
        acc.set(key, a)
        const s = summarize(w.latencies)
        ctx.log(`scenario 1 ${kind.padEnd(13)} ${String(rate).padStart(2)}/s round ${round + 1}: p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)} ms, cpu ${cpu.cpuPercent.toFixed(0)}%, n ${s.n}`)
      }
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length)
  const rows: LatencyRow[] = []
  for (const rate of rates)
    for (const kind of kinds) {
      const a = acc.get(`${kind}@${rate}`)
      if (!a) continue
      rows.push({
        server: kind,
        editsPerSecond: rate,
        latencyMs: summarize(concat(a.lat)),
        serverCpuPercent: mean(a.cpu),
        serverRssMiB: Math.max(...a.rss),
        loadCpuPercent: mean(a.loadCpu),
        loadLoopDelayP99Ms: Math.max(...a.lag),
        delivered: a.delivered,
        lost: a.lost,
      })
    }
  return rows
}
