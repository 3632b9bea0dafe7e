// `npm run bench -- --profile [--rate=10] [--seconds=30]`: scenario 1 against Kasane alone, started
// with `node --cpu-prof`, then the functions with the most self time. The raw profile stays in
// bench/results/*.cpuprofile (not committed; open it in Chrome DevTools); the summary is written to
// bench/results/profile-<date>.json.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { checkDelivery, targetOf, type Ctx } from './context.js'
import { LoadProc, type StopResult, type WindowResult } from './loadproc.js'
import { cpuMeter } from './proc.js'
import { startServer } from './servers.js'
import { sleep, summarize } from './stats.js'

const ROOT = resolve(import.meta.dirname, '..')

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export type SelfTime = { fn: string; where: string; selfMs: number; percent: number }

/** Self time per function (name + file + line), largest first. */
export function selfTimes(profile: Profile, top = 20): { totalMs: number; rows: SelfTime[] } {
  const byNode = new Map<number, Node>(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, { fn: string; where: string; us: number }>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    total += dt
    const n = byNode.get(id)
    if (!n) return
    const cf = n.callFrame
    const url = cf.url.replace(/^file:\/\//, '')
    const where = url ? `${relative(ROOT, url)}:${cf.lineNumber + 1}` : ''
    const fn = cf.functionName || '(anonymous)'
    const key = `${fn}@${where}`
    const e = self.get(key) ?? { fn, where, us: 0 }
    e.us += dt
    self.set(key, e)
  })
  const rows = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: e.us / 1000, percent: (e.us / total) * 100 }))
  return { totalMs: total / 1000, rows }
}

export async function runProfile(ctx: Ctx, resultsDir: string): Promise<number> {
  const args = process.argv.slice(2)
  const num = (name: string, d: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d)
  const rate = num('rate', 10)
  const seconds = num('seconds', ctx.quick ? 10 : 30)
  mkdirSync(resultsDir, { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  const name = `kasane-s1-${rate}eps-${Date.now().toString(36)}.cpuprofile`
  const server = await startServer('kasane', { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', resultsDir, '--cpu-prof-name', name] })
  ctx.log(`kasane listening on ${server.port} (pid ${server.pid}), profiling scenario 1 at ${rate} edits/s for ${seconds} s`)
  const load = await LoadProc.start(seconds * 1000 + 5 * 60_000)
  let window: WindowResult
  let cpuPercent: number
  try {
    const plan = { target: targetOf(server), roomIndex: ctx.nextRoom(), participants: 30, runId: ctx.runId }
    await load.request({ op: 'setup', group: 'profile', plans: [plan], mode: 'full' })
    await load.request({ op: 'start', group: 'profile', editsPerSecond: rate, awarenessHz: 0 })
    await sleep(2_000)
    const meter = cpuMeter(server.pid)
    window = await load.request<WindowResult>({ op: 'window', ms: seconds * 1000 })
    cpuPercent = meter.stop().cpuPercent
    const stop = await load.request<StopResult>({ op: 'stop', group: 'profile', drainMs: 5_000 })
    checkDelivery(ctx, 'profile run', stop)
    await load.request({ op: 'close', group: 'profile' })
  } finally {
    await load.stop()
    await server.stop()
  }
  const file = readdirSync(resultsDir).find((f) => f === name)
  if (!file) {
    ctx.log(`no profile written (expected ${name}); server output:\n${server.tail()}`)
    return 1
  }
  const profile = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as Profile
  const { totalMs, rows } = selfTimes(profile)
  const lat = summarize(window.latencies)
  process.stdout.write(`\nlatency p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms, server cpu ${cpuPercent.toFixed(0)}% over the window\n`)
  process.stdout.write(`top self time of ${(totalMs / 1000).toFixed(1)} s profiled (whole process life):\n`)
  for (const r of rows) process.stdout.write(`${r.percent.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.fn}  ${r.where}\n`)
  const out = join(resultsDir, `profile-${date}.json`)
  writeFileSync(
    out,
    JSON.stringify({ date, command: `npm run bench -- ${args.join(' ')}`, rate, seconds, latencyMs: lat, serverCpuPercent: cpuPercent, profile: relative(ROOT, join(resultsDir, file)), totalMs, top: rows }, null, 2) + '\n',
  )
  ctx.log(`wrote ${relative(ROOT, out)}`)
  return ctx.failures.length ? 1 : 0
}
