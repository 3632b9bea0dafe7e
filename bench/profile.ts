// `npm run bench -- --profile [--rate=10] [--seconds=30] [--servers=stock] [--rooms=70]`: scenario 1
// (or, with --rooms, scenario 2's workload at that many rooms) against one server (Kasane unless
// named), started with `node --cpu-prof`, then the functions with the most self time over the
// measured window. The raw profile stays in
// bench/results/*.cpuprofile (not committed; open it in Chrome DevTools); the summary is written to
// bench/results/profile-<server>-<date>.json.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { checkDelivery, newResultPath, targetOf, type Ctx } from './context.js'
import { capacityPlans, CAPACITY_RATE } from './scenario-capacity.js'
import { LoadProc, type StopResult, type WindowResult } from './loadproc.js'
import { cpuMeter, ioCounters } from './proc.js'
import { startServer } from './servers.js'
import { concat, sleep, summarize } from './stats.js'

const ROOT = resolve(import.meta.dirname, '..')

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export type SelfTime = { fn: string; where: string; selfMs: number; percent: number }

/**
 * Self time per function (name + file + line) over the samples taken between `fromMs` and `toMs`
 * after the profile started, largest first; percentages are of the busy (non-idle) time.
 */
export function selfTimes(profile: Profile, fromMs = 0, toMs = Infinity, top = 20): { busyMs: number; spanMs: number; rows: SelfTime[] } {
  const byNode = new Map<number, Node>(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, { fn: string; where: string; us: number }>()
  let busy = 0
  let span = 0
  let t = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    t += dt
    if (t / 1000 < fromMs || t / 1000 > toMs) return
    span += dt
    const n = byNode.get(id)
    if (!n) return
    const cf = n.callFrame
    const fn = cf.functionName || '(anonymous)'
    if (fn === '(idle)') return
    busy += dt
    const url = cf.url.replace(/^file:\/\//, '')
    const where = url ? `${url.startsWith('/') ? relative(ROOT, url) : url}:${cf.lineNumber + 1}` : ''
    const key = `${fn}@${where}`
    const e = self.get(key) ?? { fn, where, us: 0 }
    e.us += dt
    self.set(key, e)
  })
  const rows = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: e.us / 1000, percent: (e.us / Math.max(1, busy)) * 100 }))
  return { busyMs: busy / 1000, spanMs: span / 1000, rows }
}

export async function runProfile(ctx: Ctx, resultsDir: string): Promise<number> {
  const args = process.argv.slice(2)
  const num = (name: string, d: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d)
  const rooms = num('rooms', 0)
  const rate = rooms ? CAPACITY_RATE.editsPerSecond : num('rate', 10)
  const awarenessHz = rooms ? CAPACITY_RATE.awarenessHz : 0
  const seconds = num('seconds', ctx.quick ? 10 : 30)
  mkdirSync(resultsDir, { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  // --servers=stock profiles a peer the same way, for comparison.
  const kind = ctx.servers.length === 1 ? ctx.servers[0]! : 'kasane'
  const workload = rooms ? `s2-${rooms}rooms` : `s1-${rate}eps`
  const name = `${kind}-${workload}-${Date.now().toString(36)}.cpuprofile`
  // Every thread writes its own profile (tsx's loader runs in a worker); the main thread's has
  // thread id 0 in its default name.
  const profDir = mkdtempSync(join(tmpdir(), 'kasane-prof-'))
  // The stock server has no SIGTERM handler, and a process killed by a signal writes no profile.
  const exitOnTerm = 'data:text/javascript,process.once("SIGTERM",()=>process.exit(0))'
  const server = await startServer(kind, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profDir, ...(kind === 'stock' ? ['--import', exitOnTerm] : [])] })
  ctx.log(`${kind} listening on ${server.port} (pid ${server.pid}), profiling ${rooms ? `scenario 2 at ${rooms} rooms` : `scenario 1 at ${rate} edits/s`} for ${seconds} s`)
  // Scenario 2 spreads its rooms over two load processes, as the full run does.
  const loads = await Promise.all(Array.from({ length: rooms ? 2 : 1 }, () => LoadProc.start(seconds * 1000 + 5 * 60_000, ctx.loadNice)))
  let windows: WindowResult[]
  let cpuPercent: number
  /** The server's system calls over the window: a count that does not depend on how fast the machine is at the moment. */
  let io: { writesPerSecond: number; writeKiBPerSecond: number; readsPerSecond: number; readKiBPerSecond: number }
  let windowFrom = 0
  let windowTo = Infinity
  try {
    const plans = rooms
      ? capacityPlans(ctx, server, 0, rooms, loads.length)
      : [[{ target: targetOf(server), roomIndex: ctx.nextRoom(), participants: 30, runId: ctx.runId }]]
    const mode = rooms ? 'lite' : 'full'
    await Promise.all(loads.map((l, k) => l.request({ op: 'setup', group: 'profile', plans: plans[k], mode })))
    await Promise.all(loads.map((l) => l.request({ op: 'start', group: 'profile', editsPerSecond: rate, awarenessHz })))
    await sleep(rooms ? 3_000 : 2_000)
    const meter = cpuMeter(server.pid)
    const io0 = ioCounters(server.pid)
    windowFrom = performance.now() - server.spawnedAt
    windows = await Promise.all(loads.map((l) => l.request<WindowResult>({ op: 'window', ms: seconds * 1000 })))
    windowTo = performance.now() - server.spawnedAt
    cpuPercent = meter.stop().cpuPercent
    const io1 = ioCounters(server.pid)
    const perSecond = (k: keyof typeof io0) => ((io1[k] - io0[k]) * 1000) / (windowTo - windowFrom)
    io = { writesPerSecond: perSecond('writes'), writeKiBPerSecond: perSecond('writeBytes') / 1024, readsPerSecond: perSecond('reads'), readKiBPerSecond: perSecond('readBytes') / 1024 }
    for (const l of loads) checkDelivery(ctx, 'profile run', await l.request<StopResult>({ op: 'stop', group: 'profile', drainMs: 20_000 }))
    await Promise.all(loads.map((l) => l.request({ op: 'close', group: 'profile' })))
  } finally {
    await Promise.all(loads.map((l) => l.stop()))
    await server.stop()
  }
  const main = readdirSync(profDir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
  if (!main) {
    ctx.log(`no main-thread profile in ${profDir} (${readdirSync(profDir).join(', ')}); server output:\n${server.tail()}`)
    return 1
  }
  const file = join(resultsDir, name)
  renameSync(join(profDir, main), file)
  rmSync(profDir, { recursive: true, force: true })
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const { busyMs, spanMs, rows } = selfTimes(profile, windowFrom, windowTo)
  const lat = summarize(concat(windows.map((w) => w.latencies)))
  process.stdout.write(`\nlatency p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms, server cpu ${cpuPercent.toFixed(0)}% over the window\n`)
  process.stdout.write(
    `server writes ${io.writesPerSecond.toFixed(0)}/s (${io.writeKiBPerSecond.toFixed(0)} KiB/s), reads ${io.readsPerSecond.toFixed(0)}/s (${io.readKiBPerSecond.toFixed(0)} KiB/s)\n`,
  )
  process.stdout.write(`top self time over the ${(spanMs / 1000).toFixed(1)} s window (${(busyMs / 1000).toFixed(2)} s busy; % of busy):\n`)
  for (const r of rows) process.stdout.write(`${r.percent.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.fn}  ${r.where}\n`)
  const out = newResultPath(resultsDir, `profile-${kind}${rooms ? '-s2' : ''}-${date}`)
  writeFileSync(
    out,
    JSON.stringify({ date, server: kind, command: `npm run bench -- ${args.join(' ')}`, rate, rooms: rooms || undefined, seconds, latencyMs: lat, serverCpuPercent: cpuPercent, serverIo: io, profile: relative(ROOT, file), busyMs, spanMs, top: rows }, null, 2) + '\n',
  )
  ctx.log(`wrote ${relative(ROOT, out)}`)
  return ctx.failures.length ? 1 : 0
}
