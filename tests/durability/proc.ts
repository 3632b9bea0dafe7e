// A Kasane node as its own process (`server/index.ts`), so that it can be killed for real, plus
// what the durability suites read and check: the documents as SQLite holds them, and whether
// everything a client was sent is among them.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { waitFor } from '../support/server.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type Proc = {
  child: ChildProcess
  port: number
  url: string
  wsUrl: string
  /** Every line the process wrote to stdout and stderr. */
  lines: string[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill9(): Promise<void>
  /** SIGTERM, then the exit (fails after timeoutMs). */
  term(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts `server/index.ts` on DATA_DIR `dataDir` and resolves once it logs that it listens. */
export async function spawnServer(dataDir: string, port = 0, lines: string[] = []): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let listening: number | null = null
  let buffered = ''
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    let nl: number
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      lines.push(line)
      try {
        const j = JSON.parse(line) as { msg?: string; port?: number }
        if (j.msg === 'listening' && typeof j.port === 'number') listening = j.port
      } catch {}
    }
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  let dead = false
  void exited.then(() => (dead = true))
  try {
    await waitFor(() => listening !== null || dead, 'the server process to listen', 60_000)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  if (listening === null) throw new Error(`the server process exited before listening:\n${lines.slice(-20).join('\n')}`)
  const url = `http://127.0.0.1:${listening}`
  return {
    child,
    port: listening,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    lines,
    exited,
    kill9: async () => {
      if (!dead) child.kill('SIGKILL')
      await exited
    },
    term: async (timeoutMs = 20_000) => {
      if (!dead) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      try {
        return await exited
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/** Reads the database while no server runs on it (recovering its WAL as a restart would). */
export function storedDocs(dataDir: string, rooms: string[]): Map<string, Y.Doc> {
  const db = new Database(path.join(dataDir, 'kasane.db'), { fileMustExist: true })
  try {
    const out = new Map<string, Y.Doc>()
    for (const room of rooms) {
      const doc = new Y.Doc()
      const snap = db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').get(room) as { data: Buffer } | undefined
      const rows = db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq').all(room) as { data: Buffer }[]
      doc.transact(() => {
        if (snap) Y.applyUpdate(doc, snap.data)
        for (const r of rows) Y.applyUpdate(doc, r.data)
      })
      out.set(room, doc)
    }
    return out
  } finally {
    db.close()
  }
}

export function countRows(dataDir: string, sql: string, ...args: unknown[]): number {
  const db = new Database(path.join(dataDir, 'kasane.db'), { fileMustExist: true })
  try {
    return (db.prepare(sql).get(...args) as { n: number }).n
  } finally {
    db.close()
  }
}

/**
 * How many of `updates` would add something to `stored` (a struct it lacks, or a deletion it has
 * not made) or cannot be applied to it at all (a dependency it lacks). Zero: it holds them all.
 */
export function missingFrom(stored: Y.Doc, updates: Uint8Array[]): number {
  let missing = 0
  for (const u of updates) {
    const copy = new Y.Doc({ gc: false })
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(stored))
    let changed = false
    copy.on('update', () => (changed = true))
    Y.applyUpdate(copy, u)
    if (changed || copy.store.pendingStructs !== null || copy.store.pendingDs !== null) missing++
    copy.destroy()
  }
  return missing
}

/** A stock provider that reconnects quickly, recording every update the server sent it. */
export type Peer = {
  name: string
  doc: Y.Doc
  provider: WebsocketProvider
  /** Updates applied from the server since the last check. */
  received: Uint8Array[]
  receivedTotal: number
  closes: number[]
  destroy(): void
}

export function peer(name: string, wsUrl: string, room: string, token: string, doc = new Y.Doc()): Peer {
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, room, doc, {
    params: { token },
    disableBc: true,
    maxBackoffTime: 250,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  })
  const p: Peer = {
    name,
    doc,
    provider,
    received: [],
    receivedTotal: 0,
    closes: [],
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== provider) return
    p.received.push(u)
    p.receivedTotal++
  })
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) p.closes.push(event.code)
  })
  return p
}

/** A comparable summary of a document: state vector, deletions and content of the given roots. */
export function summary(doc: Y.Doc, roots: Record<string, 'map' | 'array'>): string {
  const sv = [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0])
  const ds = Y.createDeleteSetFromStructStore(doc.store)
  const dels = [...ds.clients.entries()].sort((a, b) => a[0] - b[0]).map(([c, r]) => [c, r.map((x) => [x.clock, x.len])])
  const content = Object.fromEntries(Object.entries(roots).map(([r, kind]) => [r, kind === 'map' ? doc.getMap(r).toJSON() : doc.getArray(r).toJSON()]))
  return JSON.stringify({ sv, dels, content })
}
