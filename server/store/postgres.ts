// Shared storage for several nodes. Every cross-node race is settled by PostgreSQL itself: a row
// lock on the workshop for read-change-write, an advisory lock for migrations at start.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import pg from 'pg'
import * as Y from 'yjs'
import type { Locale } from '../../shared/protocol.js'
import { WorkshopGoneError, workshopOf } from './index.js'
import {
  docsOfWorkshopPrefix,
  type ControlRecord,
  type ParticipantRecord,
  type Store,
  type StoredDoc,
  type TokenOwner,
  type WorkshopRecord,
} from './store.js'

// Ordered and append-only. `doc` is COLLATE "C" so that prefix ranges compare bytewise (a
// linguistic collation may ignore '/') and the (doc, seq) index serves them. `control` is TEXT,
// not JSONB: JSONB refuses escapes such as a lone surrogate that JSON.stringify may produce.
const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `CREATE TABLE workshops (
            code TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            locale TEXT NOT NULL,
            template TEXT NOT NULL,
            facilitator_hash TEXT NOT NULL UNIQUE,
            control TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            last_activity BIGINT NOT NULL
          );
          CREATE INDEX workshops_last_activity ON workshops (last_activity);
          CREATE TABLE participants (
            code TEXT NOT NULL REFERENCES workshops (code) ON DELETE CASCADE,
            participant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            color TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            joined_at BIGINT NOT NULL,
            PRIMARY KEY (code, participant_id)
          );
          CREATE TABLE doc_updates (
            seq BIGSERIAL PRIMARY KEY,
            doc TEXT COLLATE "C" NOT NULL,
            data BYTEA NOT NULL
          );
          CREATE INDEX doc_updates_doc_seq ON doc_updates (doc, seq);
          CREATE TABLE doc_snapshots (
            doc TEXT COLLATE "C" PRIMARY KEY,
            data BYTEA NOT NULL,
            upto_seq BIGINT NOT NULL
          );`,
  },
  { version: 2, sql: 'ALTER TABLE workshops ADD COLUMN doc_key BYTEA' },
]

export type PostgresOptions = {
  /** A schema of its own (created when missing); tests use one per run. Default: the search_path. */
  schema?: string
  /** Connections in this node's pool. */
  max?: number
}

type WorkshopRow = {
  code: string
  title: string
  locale: string
  template: string
  facilitator_hash: string
  control: string
  created_at: string
  last_activity: string
}
// Never the document key: it stays in the database and this store.
const WORKSHOP_COLUMNS = 'code, title, locale, template, facilitator_hash, control, created_at, last_activity'
type ParticipantRow = { code: string; participant_id: string; name: string; color: string; token_hash: string; joined_at: string }

// BIGINT arrives as a string; every value stored here is an epoch ms or a sequence number.
const toWorkshop = (r: WorkshopRow): WorkshopRecord => ({
  code: r.code,
  title: r.title,
  locale: r.locale as Locale,
  template: r.template,
  facilitatorTokenHash: r.facilitator_hash,
  control: JSON.parse(r.control) as ControlRecord,
  createdAt: Number(r.created_at),
  lastActivity: Number(r.last_activity),
})

const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  code: r.code,
  participantId: r.participant_id,
  name: r.name,
  color: r.color,
  tokenHash: r.token_hash,
  joinedAt: Number(r.joined_at),
})

// Every name starting with `prefix` sorts in [prefix, prefixEnd(prefix)) under COLLATE "C".
const prefixEnd = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)

const bytes = (u: Uint8Array) => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength))

// Document bytes are sealed with their workshop's own key, kept in its row (none for a workshop
// from before keys). Plain VACUUM leaves some deleted bytes in the pages of the update log and
// snapshots; the key goes with the workshop's row, which VACUUM FULL rewrites away, so what is
// left there can no longer be read. The document's name is bound in, so rows cannot be swapped.
const IV = 12
const TAG = 16

function seal(key: Buffer, doc: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(IV)
  const c = createCipheriv('aes-256-gcm', key, iv)
  c.setAAD(Buffer.from(doc))
  const body = Buffer.concat([c.update(plain), c.final()])
  return Buffer.concat([iv, c.getAuthTag(), body])
}

function unseal(key: Buffer, doc: string, sealed: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV))
  d.setAAD(Buffer.from(doc))
  d.setAuthTag(sealed.subarray(IV, IV + TAG))
  return Buffer.concat([d.update(sealed.subarray(IV + TAG)), d.final()])
}

const KEYS_CACHED = 10_000

// Several nodes append to one document, each relaying to the others after storing. A node that
// compacts may not yet hold an update another node stored just before (it is still on the bus),
// so "every update up to uptoSeq" is not safe to drop: compaction drops only the updates its
// snapshot provably contains, and never replaces a snapshot with one that lacks part of it.
// These are stored updates, all of them checked and applied by a node before: V1, decodable.
type Coverage = { sv: Map<number, number>; ds: Map<number, [number, number][]> }

function coverageOf(update: Uint8Array): Coverage {
  const decoded = Y.decodeUpdate(update)
  const sv = new Map<number, number>()
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue
    const end = s.id.clock + s.length
    if (end > (sv.get(s.id.client) ?? 0)) sv.set(s.id.client, end)
  }
  const ds = new Map<number, [number, number][]>()
  for (const [client, items] of decoded.ds.clients) {
    const merged: [number, number][] = []
    for (const [a, b] of items.map((i): [number, number] => [i.clock, i.clock + i.len]).sort((x, y) => x[0] - y[0])) {
      const last = merged[merged.length - 1]
      if (last && a <= last[1]) last[1] = Math.max(last[1], b)
      else merged.push([a, b])
    }
    ds.set(client, merged)
  }
  return { sv, ds }
}

/** Whether `outer`, a whole document state (each client's structs from clock 0), holds `inner`. */
function contains(outer: Coverage, inner: Coverage): boolean {
  for (const [client, end] of inner.sv) if (end > (outer.sv.get(client) ?? 0)) return false
  for (const [client, ranges] of inner.ds) {
    const have = outer.ds.get(client) ?? []
    for (const [a, b] of ranges) {
      let lo = 0
      let hi = have.length - 1
      let at = -1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (have[mid]![0] <= a) (at = mid), (lo = mid + 1)
        else hi = mid - 1
      }
      if (at < 0 || have[at]![1] < b) return false
    }
  }
  return true
}

function mergeStates(a: Uint8Array, b: Uint8Array): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, a)
  Y.applyUpdate(doc, b)
  const merged = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return merged
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const
  private closed = false
  /** Room code → its document key (null: a workshop from before keys). Keys never change. */
  private keys = new Map<string, Buffer | null>()

  private constructor(private pool: pg.Pool) {}

  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) throw new Error(`invalid schema name: ${opts.schema}`)
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.max ?? 10,
      connectionTimeoutMillis: 5000,
      options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
    })
    // An idle connection that drops (server restart) must not crash the node; the pool replaces
    // it and the next query reports any lasting failure.
    pool.on('error', () => {})
    const store = new PostgresStore(pool)
    try {
      await store.migrate(opts.schema)
    } catch (err) {
      await pool.end()
      throw err
    }
    return store
  }

  private async migrate(schema: string | undefined) {
    await this.tx(async (c) => {
      // Several nodes start at once: one migrates, the others wait and then find nothing to do.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kasane.migrate:${schema ?? ''}`])
      if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())')
      const { rows } = await c.query<{ version: number }>('SELECT version FROM schema_migrations')
      const applied = new Set(rows.map((r) => r.version))
      const newest = Math.max(0, ...applied)
      if (newest > MIGRATIONS[MIGRATIONS.length - 1]!.version) {
        throw new Error(`database schema version ${newest} is newer than this Kasane`)
      }
      for (const m of MIGRATIONS) {
        if (applied.has(m.version)) continue
        await c.query(m.sql)
        await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version])
      }
    })
  }

  /** Runs `fn` in a transaction; a connection left in an unknown state is discarded, not reused. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect()
    let broken: Error | undefined
    try {
      await c.query('BEGIN')
      const result = await fn(c)
      await c.query('COMMIT')
      return result
    } catch (err) {
      await c.query('ROLLBACK').catch((e: Error) => (broken = e))
      throw err
    } finally {
      c.release(broken)
    }
  }

  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 3000)))
    const ok = this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    )
    try {
      return await Promise.race([ok, late])
    } finally {
      clearTimeout(timer)
    }
  }

  async createWorkshop(rec: WorkshopRecord): Promise<boolean> {
    const key = randomBytes(32)
    const r = await this.pool.query(
      `INSERT INTO workshops (code, title, locale, template, facilitator_hash, control, created_at, last_activity, doc_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING`,
      [rec.code, rec.title, rec.locale, rec.template, rec.facilitatorTokenHash, JSON.stringify(rec.control), rec.createdAt, rec.lastActivity, key],
    )
    if (r.rowCount !== 1) return false
    this.remember(rec.code, key)
    return true
  }

  async getWorkshop(code: string): Promise<WorkshopRecord | null> {
    const r = await this.pool.query<WorkshopRow>({ name: 'kasane_get_workshop', text: `SELECT ${WORKSHOP_COLUMNS} FROM workshops WHERE code = $1`, values: [code] })
    return r.rows[0] ? toWorkshop(r.rows[0]) : null
  }

  async updateControl<T>(
    code: string,
    now: number,
    change: (rec: WorkshopRecord) => { control?: ControlRecord; result: T },
  ): Promise<T | null> {
    return this.tx(async (c) => {
      const r = await c.query<WorkshopRow>(`SELECT ${WORKSHOP_COLUMNS} FROM workshops WHERE code = $1 FOR UPDATE`, [code])
      if (!r.rows[0]) return null
      const out = change(toWorkshop(r.rows[0]))
      if (out.control) {
        await c.query('UPDATE workshops SET control = $1, last_activity = GREATEST(last_activity, $2) WHERE code = $3', [
          JSON.stringify(out.control),
          now,
          code,
        ])
      }
      return out.result
    })
  }

  async touch(code: string, now: number): Promise<void> {
    await this.pool.query('UPDATE workshops SET last_activity = GREATEST(last_activity, $1) WHERE code = $2', [now, code])
  }

  async staleWorkshops(before: number): Promise<string[]> {
    const r = await this.pool.query<{ code: string }>('SELECT code FROM workshops WHERE last_activity < $1 ORDER BY last_activity', [before])
    return r.rows.map((row) => row.code)
  }

  async deleteWorkshop(code: string): Promise<void> {
    const prefix = docsOfWorkshopPrefix(code)
    this.keys.delete(code)
    await this.tx(async (c) => {
      // Taken first so that a join or command running now finishes before, or finds nothing after.
      await c.query('SELECT 1 FROM workshops WHERE code = $1 FOR UPDATE', [code])
      const docs = [code, prefix, prefixEnd(prefix)]
      await c.query('DELETE FROM doc_updates WHERE doc = $1 OR (doc >= $2 AND doc < $3)', docs)
      await c.query('DELETE FROM doc_snapshots WHERE doc = $1 OR (doc >= $2 AND doc < $3)', docs)
      await c.query('DELETE FROM participants WHERE code = $1', [code])
      await c.query('DELETE FROM workshops WHERE code = $1', [code])
    })
    // Deleted rows stay in the pages as dead tuples until vacuumed (VACUUM cannot run inside a
    // transaction). Plain VACUUM frees them but, as measured here, leaves some of their bytes in
    // the pages' free space; VACUUM FULL rewrites the table into a new file, but locks it whole
    // meanwhile. So: FULL for the small tables that hold titles, names and document keys; plain
    // for the update log and snapshots, which every room writes to and whose leftovers are sealed
    // with a key that is now gone.
    await this.pool.query('VACUUM FULL workshops, participants')
    // An append that saw the workshop just before the delete committed may have landed since.
    // VACUUM FULL waited for every statement still reading workshops, and no append can see the
    // workshop any more: after this second sweep nothing of it can come back.
    await this.pool.query(
      `WITH s AS (DELETE FROM doc_snapshots WHERE doc = $1 OR (doc >= $2 AND doc < $3))
       DELETE FROM doc_updates WHERE doc = $1 OR (doc >= $2 AND doc < $3)`,
      [code, prefix, prefixEnd(prefix)],
    )
    await this.pool.query('VACUUM doc_updates, doc_snapshots')
  }

  async addParticipant(rec: ParticipantRecord, max: number): Promise<'ok' | 'full'> {
    return this.tx(async (c) => {
      // Joins to one workshop queue on its row, on every node; the count below is then current.
      const w = await c.query('SELECT 1 FROM workshops WHERE code = $1 FOR UPDATE', [rec.code])
      if (w.rowCount !== 1) throw new Error('addParticipant: no such workshop')
      const r = await c.query(
        `INSERT INTO participants (code, participant_id, name, color, token_hash, joined_at)
         SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM participants WHERE code = $1) < $7`,
        [rec.code, rec.participantId, rec.name, rec.color, rec.tokenHash, rec.joinedAt, max],
      )
      return r.rowCount === 1 ? 'ok' : 'full'
    })
  }

  async listParticipants(code: string): Promise<ParticipantRecord[]> {
    const r = await this.pool.query<ParticipantRow>('SELECT * FROM participants WHERE code = $1 ORDER BY joined_at, participant_id', [code])
    return r.rows.map(toParticipant)
  }

  async getParticipant(code: string, participantId: string): Promise<ParticipantRecord | null> {
    const r = await this.pool.query<ParticipantRow>({
      name: 'kasane_get_participant',
      text: 'SELECT * FROM participants WHERE code = $1 AND participant_id = $2',
      values: [code, participantId],
    })
    return r.rows[0] ? toParticipant(r.rows[0]) : null
  }

  async removeParticipant(code: string, participantId: string): Promise<void> {
    const notebook = `${code}/notebook/${participantId}`
    await this.tx(async (c) => {
      await c.query('DELETE FROM participants WHERE code = $1 AND participant_id = $2', [code, participantId])
      await c.query('DELETE FROM doc_updates WHERE doc = $1', [notebook])
      await c.query('DELETE FROM doc_snapshots WHERE doc = $1', [notebook])
    })
  }

  async findToken(tokenHash: string): Promise<TokenOwner | null> {
    const r = await this.pool.query<{ role: 'facilitator' | 'participant'; code: string; participant_id: string | null }>({
      name: 'kasane_find_token',
      text: `SELECT 'facilitator' AS role, code, NULL AS participant_id FROM workshops WHERE facilitator_hash = $1
             UNION ALL
             SELECT 'participant', code, participant_id FROM participants WHERE token_hash = $1
             LIMIT 1`,
      values: [tokenHash],
    })
    const row = r.rows[0]
    if (!row) return null
    return row.role === 'facilitator' ? { role: 'facilitator', code: row.code } : { role: 'participant', code: row.code, participantId: row.participant_id! }
  }

  private remember(code: string, key: Buffer | null) {
    if (this.keys.size >= KEYS_CACHED) this.keys.delete(this.keys.keys().next().value!)
    this.keys.set(code, key)
  }

  /** The document key of a workshop; undefined when there is no such workshop. */
  private async keyOf(code: string): Promise<{ key: Buffer | null } | undefined> {
    const cached = this.keys.get(code)
    if (cached !== undefined) return { key: cached }
    const r = await this.pool.query<{ doc_key: Buffer | null }>({
      name: 'kasane_doc_key',
      text: 'SELECT doc_key FROM workshops WHERE code = $1',
      values: [code],
    })
    if (!r.rows[0]) return undefined
    this.remember(code, r.rows[0].doc_key)
    return { key: r.rows[0].doc_key }
  }

  async appendUpdate(doc: string, update: Uint8Array): Promise<number> {
    const code = workshopOf(doc)
    // A second try when the cached key turns out stale (the code was deleted and drawn again).
    for (let attempt = 0; attempt < 2; attempt++) {
      const k = await this.keyOf(code)
      if (!k) break
      const r = await this.pool.query<{ seq: string }>({
        name: 'kasane_append',
        // Only into the workshop the key belongs to, and only while it exists: a room that has
        // not yet heard of a deletion must not leave text behind. Same round trip.
        text: `INSERT INTO doc_updates (doc, data)
               SELECT $1::text, $2::bytea FROM workshops WHERE code = $3 AND doc_key IS NOT DISTINCT FROM $4::bytea
               RETURNING seq`,
        values: [doc, k.key ? seal(k.key, doc, update) : bytes(update), code, k.key],
      })
      if (r.rows[0]) return Number(r.rows[0].seq)
      this.keys.delete(code)
    }
    throw new WorkshopGoneError(doc)
  }

  async loadDoc(doc: string): Promise<StoredDoc> {
    const code = workshopOf(doc)
    for (let attempt = 0; ; attempt++) {
      const k = await this.keyOf(code)
      if (!k) return { snapshot: null, updates: [], lastSeq: 0 }
      // One statement, so one snapshot: a compaction elsewhere cannot fall between two reads. The
      // updates are not filtered by upto_seq: whatever compaction left was not in its snapshot.
      const r = await this.pool.query<{ kind: number; seq: string; data: Buffer }>({
        name: 'kasane_load_doc',
        text: `SELECT 0 AS kind, upto_seq AS seq, data FROM doc_snapshots WHERE doc = $1
               UNION ALL
               SELECT 1, seq, data FROM doc_updates WHERE doc = $1
               ORDER BY kind, seq`,
        values: [doc],
      })
      try {
        let snapshot: Uint8Array | null = null
        const updates: Uint8Array[] = []
        let lastSeq = 0
        for (const row of r.rows) {
          const data = k.key ? unseal(k.key, doc, row.data) : row.data
          if (row.kind === 0) snapshot = data
          else updates.push(data)
          lastSeq = Math.max(lastSeq, Number(row.seq))
        }
        return { snapshot, updates, lastSeq }
      } catch (err) {
        // Unreadable with the cached key: ask for the current one once, then report the damage.
        this.keys.delete(code)
        if (attempt > 0) throw err
      }
    }
  }

  async compactDoc(doc: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    const code = workshopOf(doc)
    const k = await this.keyOf(code)
    if (!k) return
    const open = (data: Buffer) => (k.key ? unseal(k.key, doc, data) : data)
    const fresh = coverageOf(snapshot)
    await this.tx(async (c) => {
      // One compaction of a document at a time across nodes, each reading what the last wrote;
      // the key share keeps a deletion from passing in between (nothing stored after it).
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kasane.compact:${doc}`])
      const w = await c.query('SELECT 1 FROM workshops WHERE code = $1 AND doc_key IS NOT DISTINCT FROM $2::bytea FOR KEY SHARE', [code, k.key])
      if (w.rowCount !== 1) return
      let state = snapshot
      let covers = fresh
      const prev = (await c.query<{ data: Buffer }>('SELECT data FROM doc_snapshots WHERE doc = $1', [doc])).rows[0]
      if (prev) {
        const before = open(prev.data)
        if (!contains(fresh, coverageOf(before))) {
          state = mergeStates(before, snapshot)
          covers = coverageOf(state)
        }
      }
      const rows = (await c.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc = $1 AND seq <= $2', [doc, uptoSeq])).rows
      const drop = rows.filter((r) => {
        try {
          return contains(covers, coverageOf(open(r.data)))
        } catch {
          return false // unreadable: kept, never dropped on a guess
        }
      })
      await c.query(
        `INSERT INTO doc_snapshots (doc, data, upto_seq) VALUES ($1, $2, $3)
         ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto_seq = GREATEST(doc_snapshots.upto_seq, excluded.upto_seq)`,
        [doc, k.key ? seal(k.key, doc, state) : bytes(state), uptoSeq],
      )
      if (drop.length > 0) await c.query('DELETE FROM doc_updates WHERE doc = $1 AND seq = ANY($2::bigint[])', [doc, drop.map((r) => r.seq)])
    })
  }

  async deleteDoc(doc: string): Promise<void> {
    await this.pool.query('WITH s AS (DELETE FROM doc_snapshots WHERE doc = $1) DELETE FROM doc_updates WHERE doc = $1', [doc])
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }
}
