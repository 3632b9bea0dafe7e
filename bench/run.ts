// `npm run bench` (full) and `npm run bench -- --quick` (under two minutes): every scenario of
// bench/README.md against Kasane and, in the same run, the stock y-websocket server and
// Hocuspocus 3; prints a table and writes bench/results/<date>.json (<date>-quick.json; a later run
// of the same day <date>-2.json, and so on).
// Options: --quick, --only=1,3,6 (scenarios), --servers=kasane,stock (kasane-base: KASANE_BASE's server), --cycles=N, --rates=10, --load-nice=N, --two-nodes, --profile, --trace (see README).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { clientSize } from './client-size.js'
import { newResultPath, type Ctx } from './context.js'
import { LOAD_NICE, LoadProc } from './loadproc.js'
import { runProfile } from './profile.js'
import { printReport } from './report.js'
import { scenarioCapacity } from './scenario-capacity.js'
import { scenarioJoin } from './scenario-join.js'
import { scenarioLatency } from './scenario-latency.js'
import { startTrace } from './trace.js'
import { SERVER_KINDS, startServer, startTwoNodes, type RunningServer, type ServerKind } from './servers.js'

const ROOT = resolve(import.meta.dirname, '..')
const RESULTS = join(ROOT, 'bench', 'results')

const args = process.argv.slice(2)
const flag = (name: string) => args.includes(`--${name}`)
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const quick = flag('quick')
const only = new Set((option('only') ?? '1,2,3,4,5,6').split(',').map(Number))
const serverKinds = (option('servers')?.split(',') ?? SERVER_KINDS) as ServerKind[]
for (const k of serverKinds) if (![...SERVER_KINDS, 'kasane-base'].includes(k)) throw new Error(`unknown server ${k}`)
// Scenario 1 on two Kasane nodes (PostgreSQL + Redis): with --two-nodes, or in a full run when both are set.
const { DATABASE_URL, REDIS_URL } = process.env
const twoNodes = flag('two-nodes') || (!quick && !option('only') && !option('servers') && !!DATABASE_URL && !!REDIS_URL)
if (twoNodes && !(DATABASE_URL && REDIS_URL)) throw new Error('--two-nodes needs DATABASE_URL and REDIS_URL')

// Scenario 1's cycles per rate (30 in a full run): more narrow each ratio's interval, by about the square root.
const cycles = option('cycles') === undefined ? undefined : Number(option('cycles'))
if (cycles !== undefined && !(Number.isInteger(cycles) && cycles >= 2 && cycles <= 600)) throw new Error('--cycles takes a whole number from 2 to 600')
// Scenario 1's rates (1, 5 and 10 edits/s unless given): one rate alone buys its cycles more cheaply.
const rates = [...new Set((option('rates') ?? '1,5,10').split(',').map(Number))].sort((a, b) => a - b)
if (!rates.every((r) => [1, 5, 10].includes(r))) throw new Error('--rates takes some of 1,5,10')
// The load processes' niceness (loadproc.ts): 0 runs them beside the server at its own priority, as before 2026-12-08 run 18.
const loadNice = Number(option('load-nice') ?? LOAD_NICE)
if (!(Number.isInteger(loadNice) && loadNice >= 0 && loadNice <= 19)) throw new Error('--load-nice takes a whole number from 0 to 19')

const started = Date.now()
const budgetMs = quick ? 100_000 : 50 * 60_000
let room = 0
const ctx: Ctx = {
  quick,
  cycles,
  rates,
  loadNice,
  runId: started.toString(36),
  deadline: started + budgetMs,
  servers: serverKinds,
  log: (line) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`),
  nextRoom: () => room++,
  failures: [],
}

async function startAll(): Promise<Map<ServerKind, RunningServer>> {
  const list = await Promise.all(ctx.servers.map((k) => startServer(k)))
  for (const s of list) ctx.log(`${s.kind} listening on ${s.port} (pid ${s.pid})`)
  return new Map(list.map((s) => [s.kind, s]))
}

async function stopAll(servers: Map<ServerKind, RunningServer>): Promise<void> {
  await Promise.all([...servers.values()].map((s) => s.stop()))
}

/** Scenarios 4 and 5 are written beside this file; they run when present. */
async function optional(file: string, fn: string, options: Record<string, unknown>): Promise<unknown> {
  const path = join(ROOT, 'bench', file)
  if (!existsSync(path)) return { skipped: `bench/${file} is not there yet` }
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  const f = mod[fn]
  if (typeof f !== 'function') return { skipped: `bench/${file} exports no ${fn}()` }
  try {
    return await (f as (o: Record<string, unknown>) => Promise<unknown>)(options)
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err)
    ctx.failures.push(`${fn}: ${error}`)
    return { error }
  }
}

async function main(): Promise<number> {
  if (flag('profile')) return runProfile(ctx, RESULTS)
  const date = new Date(started).toISOString().slice(0, 10)
  const results: Record<string, unknown> = {
    date,
    startedAt: new Date(started).toISOString(),
    command: `npm run bench${args.length ? ' -- ' + args.join(' ') : ''}`,
    quick,
    loadNice,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadavg().map((v) => Number(v.toFixed(2))) },
    servers: twoNodes ? [...ctx.servers, 'kasane-2nodes'] : ctx.servers,
    scenarios: {} as Record<string, unknown>,
  }
  const scenarios = results.scenarios as Record<string, unknown>
  ctx.log(`Kasane benchmarks (${quick ? 'quick' : 'full'}), servers: ${ctx.servers.join(', ')}; load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`)

  // Quick runs keep one set of servers for scenarios 1–3; full runs give capacity fresh servers,
  // so that its memory baseline is a server that has served nothing.
  let servers: Map<ServerKind, RunningServer> | null = null
  try {
    if (only.has(1) || only.has(3)) {
      servers = await startAll()
      if (only.has(1) && twoNodes) {
        const two = await startTwoNodes(DATABASE_URL!, REDIS_URL!)
        ctx.log(`kasane-2nodes listening on ${two.wsBases!.map((b) => new URL(b).port).join(' and ')} (pids ${two.pids!.join(', ')})`)
        servers.set(two.kind, two)
      }
      const load = await LoadProc.start(budgetMs + 5 * 60_000, loadNice)
      try {
        if (only.has(1)) {
          // --trace: the servers' system calls during scenario 1 (bench/trace.ts); single-process servers only.
          const traced = new Map([...servers].filter(([, s]) => !s.pids).map(([k, s]) => [k, s.pid]))
          const tracer = flag('trace') ? await startTrace([...traced.values(), load.pid]) : null
          if (typeof tracer === 'string') ctx.log(`--trace: ${tracer}`)
          const rows = await scenarioLatency(ctx, load, servers)
          scenarios.latency = rows
          if (typeof tracer === 'string') scenarios.latencyTrace = { skipped: tracer }
          else if (tracer) scenarios.latencyTrace = await tracer.stop(rows, traced, load.pid)
        }
        await servers.get('kasane-2nodes')?.stop()
        servers.delete('kasane-2nodes')
        if (only.has(3)) scenarios.join = await scenarioJoin(ctx, load, servers)
      } finally {
        await load.stop()
      }
    }
    if (only.has(2)) {
      if (servers && !quick) {
        await stopAll(servers)
        servers = null
      }
      servers ??= await startAll()
      const loads = await Promise.all([LoadProc.start(budgetMs + 5 * 60_000, loadNice), LoadProc.start(budgetMs + 5 * 60_000, loadNice)])
      try {
        scenarios.capacity = await scenarioCapacity(ctx, loads, servers)
      } finally {
        await Promise.all(loads.map((l) => l.stop()))
      }
    }
  } finally {
    if (servers) await stopAll(servers)
  }
  if (only.has(4)) {
    ctx.log('scenario 4: store')
    // PostgreSQL is measured when DATABASE_URL is set (CI and `DATABASE_URL=… npm run bench`).
    scenarios.store = await optional('store.ts', 'benchStore', { quick, seconds: quick ? 1 : 3, databaseUrl: process.env.DATABASE_URL })
  }
  if (only.has(5)) {
    ctx.log('scenario 5: exports')
    scenarios.exports = await optional('export.ts', 'benchExports', { quick })
  }
  if (only.has(6)) {
    ctx.log('scenario 6: client size')
    scenarios.client = clientSize(ctx.log)
  }
  results.durationSeconds = Math.round((Date.now() - started) / 1000)
  ;(results.machine as Record<string, unknown>).loadAverageAtEnd = loadavg().map((v) => Number(v.toFixed(2)))
  results.failures = ctx.failures
  printReport(results as Parameters<typeof printReport>[0])
  mkdirSync(RESULTS, { recursive: true })
  const file = newResultPath(RESULTS, `${date}${quick ? '-quick' : ''}`)
  writeFileSync(file, JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(3)) : v), 2) + '\n')
  ctx.log(`wrote ${file.slice(ROOT.length + 1)} in ${results.durationSeconds} s`)
  if (ctx.failures.length) {
    ctx.log(`FAILED: ${ctx.failures.length} problem(s):\n  ${ctx.failures.join('\n  ')}`)
    return 1
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
