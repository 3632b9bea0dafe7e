// Several Kasane server processes sharing one PostgreSQL database and one Redis (SPEC §8): a fresh
// database per cluster, a Redis database number claimed for the run (so keys and channels stay
// apart from other suites), and nodes that can be killed (-9) and started again on their port.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { redisNamespace } from '../../server/bus/index.js'

export const DATABASE_URL = process.env.DATABASE_URL
export const REDIS_URL = process.env.REDIS_URL
export const canCluster = !!(DATABASE_URL && REDIS_URL)
if (!canCluster) console.warn('multi-node suites skipped: they need both DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)')

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const START_TIMEOUT_MS = 60_000
const CLAIM_TTL_MS = 30 * 60_000
const LOG_LINES = 400

export type ClusterNode = {
  readonly index: number
  /** Fixed after the first start, so a restarted node answers where it did. */
  readonly port: number
  readonly url: string
  readonly wsUrl: string
  readonly alive: boolean
  /** The server process, while alive. */
  readonly pid: number | undefined
  /** The node's recent stdout/stderr lines. */
  readonly logs: string[]
  /** SIGKILL: no flush, no goodbye; resolves once the process is gone. */
  kill(): Promise<void>
  start(): Promise<void>
}

export type Cluster = {
  nodes: ClusterNode[]
  databaseUrl: string
  redisUrl: string
  /** Ports of the nodes, null for a node that is down (a port it freed may be another's now). */
  ports(): Array<number | null>
  /** Claims the Redis database again (after a Redis restart emptied it). */
  renewRedisClaim(): Promise<void>
  /** Recent log lines of every node, for a failure message. */
  describe(): string
  close(): Promise<void>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL')
})

const ACTIVE = 'kasane-test-active:'

/**
 * Marks a suite as using Redis until the returned function is called, so that the suite which
 * restarts Redis (tests/multinode/redis-restart.test.ts) waits for it instead of cutting it off.
 */
export async function markRedisActive(): Promise<() => Promise<void>> {
  if (!REDIS_URL) return async () => {}
  const key = ACTIVE + randomBytes(6).toString('hex')
  await withRedis(db0(REDIS_URL), (r) => r.set(key, '1', 'PX', CLAIM_TTL_MS))
  return async () => {
    await withRedis(db0(REDIS_URL), (r) => r.del(key))
  }
}

/** How many suites besides the caller's `own` marks are using Redis now. */
export async function othersUsingRedis(ownCount = 1): Promise<number> {
  if (!REDIS_URL) return 0
  const keys = await withRedis(db0(REDIS_URL), (r) => r.keys(`${ACTIVE}*`))
  return Math.max(0, (keys?.length ?? 0) - ownCount)
}

const db0 = (url: string) => {
  const u = new URL(url)
  u.pathname = '/0'
  return u.toString()
}

export async function startCluster(count: number, opts: { env?: Record<string, string> } = {}): Promise<Cluster> {
  if (!DATABASE_URL || !REDIS_URL) throw new Error('startCluster needs DATABASE_URL and REDIS_URL')
  const db = await createDatabase(DATABASE_URL)
  const active = await markRedisActive()
  const claim = await claimRedisDb(REDIS_URL)
  const env = { DATABASE_URL: db.url, REDIS_URL: claim.url, ...opts.env }
  const nodes = Array.from({ length: count }, (_, i) => spawnNode(i, env))
  const cluster: Cluster = {
    nodes,
    databaseUrl: db.url,
    redisUrl: claim.url,
    ports: () => nodes.map((n) => (n.alive ? n.port : null)),
    renewRedisClaim: () => claim.renew(),
    describe: () => nodes.map((n) => `--- node ${n.index} (port ${n.port}, ${n.alive ? 'alive' : 'dead'})\n${n.logs.slice(-40).join('\n')}`).join('\n'),
    close: async () => {
      await Promise.all(nodes.map((n) => n.kill()))
      await Promise.all([claim.release(), db.drop(), active()])
    },
  }
  try {
    await Promise.all(nodes.map((n) => n.start()))
  } catch (err) {
    const detail = cluster.describe()
    await cluster.close()
    throw new Error(`${(err as Error).message}\n${detail}`)
  }
  return cluster
}

function spawnNode(index: number, env: Record<string, string>): ClusterNode {
  let port = 0
  let proc: ChildProcess | null = null
  const logs: string[] = []
  const keep = (line: string) => {
    logs.push(line)
    if (logs.length > LOG_LINES) logs.splice(0, logs.length - LOG_LINES)
  }
  const node: ClusterNode = {
    index,
    get port() {
      return port
    },
    get url() {
      return `http://127.0.0.1:${port}`
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}`
    },
    get alive() {
      return proc !== null
    },
    get pid() {
      return proc?.pid
    },
    logs,
    kill: async () => {
      const p = proc
      if (!p) return
      proc = null
      if (p.exitCode === null && p.signalCode === null) {
        await new Promise<void>((resolve) => {
          p.once('exit', () => resolve())
          p.kill('SIGKILL')
        })
      }
      running.delete(p)
    },
    start: async () => {
      try {
        await launch()
      } catch (err) {
        // Another process took the port while this node was down: come back on a new one.
        if (port === 0 || !logs.slice(-5).some((l) => l.includes('EADDRINUSE'))) throw err
        port = 0
        await launch()
      }
    },
  }
  const launch = (): Promise<void> => {
    if (proc) return Promise.resolve()
    // One process per node (no npx wrapper), so SIGKILL reaches the server itself.
    const p = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    proc = p
    running.add(p)
    createInterface({ input: p.stderr! }).on('line', (l) => keep(`[stderr] ${l}`))
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        p.kill('SIGKILL')
        reject(new Error(`node ${index} did not listen within ${START_TIMEOUT_MS} ms`))
      }, START_TIMEOUT_MS)
      createInterface({ input: p.stdout! }).on('line', (line) => {
        keep(line)
        if (!line.includes('"listening"')) return
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number }
          if (entry.msg !== 'listening' || typeof entry.port !== 'number') return
          port = entry.port
          clearTimeout(timer)
          resolve()
        } catch {
          // not a log line of ours
        }
      })
      // 'close', not 'exit': the last stderr lines (EADDRINUSE) are read by then.
      p.once('close', (code, signal) => {
        running.delete(p)
        if (proc === p) proc = null
        clearTimeout(timer)
        reject(new Error(`node ${index} exited (${code ?? signal}) before listening`))
      })
    })
  }
  return node
}

async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kasane_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
    },
  }
}

/**
 * Redis databases 1–15 are claimed by a key in database 0, one per cluster at a time. Nodes
 * namespace PUB/SUB channels by database number (redisNamespace), so two clusters never hear
 * each other.
 */
async function claimRedisDb(baseUrl: string): Promise<{ url: string; renew(): Promise<void>; release(): Promise<void> }> {
  const token = randomBytes(8).toString('hex')
  const base = new URL(baseUrl)
  base.pathname = '/0'
  const admin = new Redis(base.toString())
  admin.on('error', () => {})
  try {
    for (let db = 1; db <= 15; db++) {
      const key = `kasane-test-claim:${db}`
      if ((await admin.set(key, token, 'PX', CLAIM_TTL_MS, 'NX')) !== 'OK') continue
      const url = new URL(baseUrl)
      url.pathname = `/${db}`
      const prefix = redisNamespace(url.toString())
      return {
        url: url.toString(),
        renew: async () => {
          await withRedis(base.toString(), (r) => r.set(key, token, 'PX', CLAIM_TTL_MS))
        },
        release: async () => {
          await withRedis(url.toString(), async (r) => {
            // Only what our nodes wrote: this run's keys in its database, then the claim.
            let cursor = '0'
            do {
              const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
              cursor = next
              if (keys.length) await r.unlink(...keys)
            } while (cursor !== '0')
          })
          await withRedis(base.toString(), async (r) => {
            if ((await r.get(key)) === token) await r.del(key)
          })
        },
      }
    }
  } finally {
    admin.disconnect()
  }
  throw new Error('no free Redis database (1–15) for a cluster')
}

async function withRedis<T>(url: string, run: (r: Redis) => Promise<T>): Promise<T | undefined> {
  // Default retries: a Redis that is being restarted by another suite is waited for (seconds).
  const r = new Redis(url)
  r.on('error', () => {})
  try {
    return await run(r)
  } catch {
    return undefined
  } finally {
    r.disconnect()
  }
}
