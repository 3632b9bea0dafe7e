// Starts the servers under test, each in its own process, and stops them again.
//  - kasane: our server (server/index.ts), as `npm run serve` runs it (its Node flags too), with SQLite in a temp dir
//  - stock:  the stock @y/websocket-server@0.1.1 bin (src/server.js): no auth, nothing stored
//  - hocuspocus: Hocuspocus 3 with a SQLite onStoreDocument hook (bench/peers/hocuspocus.ts)
//  - kasane-2nodes (scenario 1, --two-nodes): two kasane processes sharing a fresh PostgreSQL
//    database and a free Redis db number, both dropped or emptied again by stop()
//  - kasane-base (only when asked for, with KASANE_BASE=<another checkout with its node_modules>):
//    that checkout's server, run the same way, to measure a change of the server side by side
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { Redis } from 'ioredis'
import pg from 'pg'

export type ServerKind = 'kasane' | 'stock' | 'hocuspocus' | 'kasane-2nodes' | 'kasane-base'
/** The servers of a run unless `--servers` names others (kasane-base too). */
export const SERVER_KINDS: ServerKind[] = ['kasane', 'stock', 'hocuspocus']

export type RunningServer = {
  kind: ServerKind
  pid: number
  port: number
  /** Where the load generator connects: y-websocket URL form `serverUrl/room?params`. */
  wsBase: string
  /** kasane-2nodes: both nodes' wsBase; participant i connects to wsBases[i % 2]. */
  wsBases?: string[]
  /** kasane-2nodes: both processes, whose CPU and memory are summed. */
  pids?: number[]
  httpBase: string
  stop(): Promise<void>
  /** The last lines the process wrote, for error reports. */
  tail(): string
  /** performance.now() of this (runner) process when the server process was spawned. */
  spawnedAt: number
}

const ROOT = resolve(import.meta.dirname, '..')
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 20_000

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      s.close(() => ok(port))
    })
  })
}

function stockServerScript(): string {
  const require = createRequire(join(ROOT, 'package.json'))
  return join(require.resolve('@y/websocket-server/package.json'), '..', 'src', 'server.js')
}

/** The checkout a kasane-base server runs from (KASANE_BASE). */
function baseCheckout(): string {
  const dir = process.env.KASANE_BASE
  if (!dir || !existsSync(join(dir, 'server', 'index.ts')) || !existsSync(join(dir, 'node_modules'))) {
    throw new Error('kasane-base needs KASANE_BASE=<another checkout of Kasane, with its node_modules>')
  }
  return resolve(dir)
}

/** The Node flags of a checkout's `serve` script (`tsx <flags> server/index.ts`). */
function serveFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { serve: string } }
  return pkg.scripts.serve.split(/\s+/).filter((a) => a.startsWith('--'))
}

export type StartOptions = { nodeArgs?: string[]; env?: Record<string, string> }

export async function startServer(kind: ServerKind, opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `kasane-bench-${kind}-`))
  let args: string[]
  let env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production' }
  let port = 0
  const cwd = kind === 'kasane-base' ? baseCheckout() : ROOT
  if (kind === 'kasane' || kind === 'kasane-base') {
    args = [...serveFlags(cwd), ...(opts.nodeArgs ?? []), '--import', 'tsx', 'server/index.ts']
    delete env.DATABASE_URL
    delete env.REDIS_URL
    env = { ...env, ...opts.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: env.LOG_LEVEL ?? 'info' }
  } else if (kind === 'stock') {
    env = { ...env, ...opts.env }
    port = await freePort()
    args = [...(opts.nodeArgs ?? []), stockServerScript()]
    env = { ...env, PORT: String(port), HOST: '127.0.0.1' }
    delete env.YPERSISTENCE
  } else {
    args = [...(opts.nodeArgs ?? []), '--import', 'tsx', 'bench/peers/hocuspocus.ts']
    env = { ...env, ...opts.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }
  }
  const spawnedAt = performance.now()
  const child: ChildProcess = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(l)
    if (lines.length > 50) lines.splice(0, lines.length - 50)
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()))

  const listening = new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${kind} did not start within ${START_TIMEOUT_MS} ms:\n${lines.join('\n')}`)), START_TIMEOUT_MS)
    const onData = (chunk: Buffer) => {
      keep(chunk)
      for (const l of chunk.toString('utf8').split('\n')) {
        if (kind === 'stock' && l.includes('running at')) {
          clearTimeout(timer)
          return ok(port)
        }
        if (l.includes('"msg":"listening"')) {
          const m = /"port":(\d+)/.exec(l)
          if (m) {
            clearTimeout(timer)
            return ok(Number(m[1]))
          }
        }
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', keep)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`${kind} exited with ${code} before listening:\n${lines.join('\n')}`))
    })
  })
  let actualPort: number
  try {
    actualPort = await listening
  } catch (err) {
    child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  // Keep draining both pipes so that a chatty server never blocks on a full pipe.
  child.stdout!.removeAllListeners('data')
  child.stdout!.on('data', keep)

  return {
    kind,
    pid: child.pid!,
    port: actualPort,
    wsBase: `ws://127.0.0.1:${actualPort}/yjs`,
    httpBase: `http://127.0.0.1:${actualPort}`,
    tail: () => lines.join('\n'),
    spawnedAt,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const t = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
        await exited
        clearTimeout(t)
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A Redis URL on the first db number (1–15) that holds no key, or null when none is free. */
async function freeRedisDb(redisUrl: string): Promise<string | null> {
  for (let db = 1; db <= 15; db++) {
    const url = new URL(redisUrl)
    url.pathname = `/${db}`
    const r = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await r.connect()
      if ((await r.dbsize()) === 0) return url.toString()
    } finally {
      r.disconnect()
    }
  }
  return null
}

/** Two kasane nodes on a fresh database `kasane_bench_<random>` and a free Redis db number. */
export async function startTwoNodes(databaseUrl: string, redisUrl: string): Promise<RunningServer> {
  const dbName = `kasane_bench_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${dbName}`)
  await admin.end()
  const dropDatabase = async () => {
    const c = new pg.Client({ connectionString: databaseUrl })
    await c.connect()
    try {
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
    } finally {
      await c.end()
    }
  }
  const nodes: RunningServer[] = []
  let redis: string | null = null
  const cleanUp = async () => {
    await Promise.all(nodes.map((n) => n.stop()))
    if (redis) {
      // Only this run's keys: the db number was empty when it was chosen.
      const r = new Redis(redis, { maxRetriesPerRequest: 1 })
      try {
        for await (const keys of r.scanStream({ count: 1000 }) as AsyncIterable<string[]>) if (keys.length) await r.del(...keys)
      } finally {
        r.disconnect()
      }
    }
    await dropDatabase()
  }
  try {
    redis = await freeRedisDb(redisUrl)
    if (!redis) throw new Error(`no empty Redis db number 1–15 on ${redisUrl}`)
    const dbUrl = new URL(databaseUrl)
    dbUrl.pathname = `/${dbName}`
    const env = { DATABASE_URL: dbUrl.toString(), REDIS_URL: redis }
    // One after the other: the first node creates the schema.
    nodes.push(await startServer('kasane', { env }))
    nodes.push(await startServer('kasane', { env }))
  } catch (err) {
    await cleanUp()
    throw err
  }
  const [a, b] = nodes as [RunningServer, RunningServer]
  return {
    kind: 'kasane-2nodes',
    pid: a.pid,
    pids: [a.pid, b.pid],
    port: a.port,
    wsBase: a.wsBase,
    wsBases: [a.wsBase, b.wsBase],
    httpBase: a.httpBase,
    tail: () => `node A:\n${a.tail()}\nnode B:\n${b.tail()}`,
    spawnedAt: a.spawnedAt,
    stop: cleanUp,
  }
}
