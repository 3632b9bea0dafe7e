// Peer for the benchmarks: Hocuspocus 3 storing each document into SQLite through its
// onStoreDocument hook, with Hocuspocus's default debounce (2 s, at most 10 s). Started in its own
// process by bench/run.ts: `DATA_DIR=<dir> node --import tsx bench/peers/hocuspocus.ts`; prints one
// JSON line with "msg":"listening" and the port.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Server } from '@hocuspocus/server'
import * as Y from 'yjs'

const dir = process.env.DATA_DIR ?? '.'
mkdirSync(dir, { recursive: true })
const db = new Database(join(dir, 'hocuspocus.sqlite'))
// The same durability settings as Kasane's SQLite store, so that only the write policy differs.
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)')
const select = db.prepare<[string], { data: Buffer }>('SELECT data FROM documents WHERE name = ?')
const upsert = db.prepare<[string, Buffer]>(
  'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data',
)

const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: process.env.HOST ?? '127.0.0.1',
  quiet: true,
  async onLoadDocument({ document, documentName }) {
    const row = select.get(documentName)
    if (row) Y.applyUpdate(document, new Uint8Array(row.data))
  },
  async onStoreDocument({ document, documentName }) {
    upsert.run(documentName, Buffer.from(Y.encodeStateAsUpdate(document)))
  },
})

await server.listen()
process.stdout.write(JSON.stringify({ msg: 'listening', port: server.address.port, peer: 'hocuspocus' }) + '\n')
