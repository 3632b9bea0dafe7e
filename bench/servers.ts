// Starts the servers under test, each in its own process, and stops them again.
//  - kasane: our server (server/index.ts), as `npm run serve` runs it, with SQLite in a temp dir
//  - stock:  the stock @y/websocket-server@0.1.1 bin (src/server.js): no auth, nothing stored
//  - hocuspocus: Hocuspocus 3 with a SQLite onStoreDocument hook (bench/peers/hocuspocus.ts)
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'

export type ServerKind = 'kasane' | 'stock' | 'hocuspocus'
export const SERVER_KINDS: ServerKind[] = ['kasane', 'stock', 'hocuspocus']

export type RunningServer = {
  kind: ServerKind
  pid: number
  port: number
  /** Where the load generator connects: y-websocket URL form `serverUrl/room?params`. */
  wsBase: string
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

export type StartOptions = { nodeArgs?: string[]; env?: Record<string, string> }

export async function startServer(kind: ServerKind, opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `kasane-bench-${kind}-`))
  let args: string[]
  let env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', ...opts.env }
  let port = 0
  if (kind === 'kasane') {
    args = [...(opts.nodeArgs ?? []), '--import', 'tsx', 'server/index.ts']
    env = { ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: env.LOG_LEVEL ?? 'info' }
    delete env.DATABASE_URL
    delete env.REDIS_URL
  } else if (kind === 'stock') {
    port = await freePort()
    args = [...(opts.nodeArgs ?? []), stockServerScript()]
    env = { ...env, PORT: String(port), HOST: '127.0.0.1' }
    delete env.YPERSISTENCE
  } else {
    args = [...(opts.nodeArgs ?? []), '--import', 'tsx', 'bench/peers/hocuspocus.ts']
    env = { ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }
  }
  const spawnedAt = performance.now()
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
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
    wsBase: kind === 'kasane' ? `ws://127.0.0.1:${actualPort}/yjs` : `ws://127.0.0.1:${actualPort}/yjs`,
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
