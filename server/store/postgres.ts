// Shared storage for several nodes. Every cross-node race is settled by PostgreSQL itself: a row
// lock on the workshop for read-change-write, an advisory lock for migrations at start.
import type pg from 'pg'
import { WorkshopGoneError, workshopOf } from './index.js'
import { contains, coverageOf, successor } from './pg-coverage.js'
import { openPool, ping, transaction, type PostgresOptions } from './pg-pool.js'
import { prefixEnd, toParticipant, toWorkshop, WORKSHOP_COLUMNS, type ParticipantRow, type WorkshopRow } from './pg-rows.js'
import { migrate } from './pg-schema.js'
import { DocKeys, newDocKey, seal, unseal } from './pg-seal.js'
import {
  docsOfWorkshopPrefix,
  type ControlRecord,
  type ParticipantRecord,
  type Store,
  type StoredDoc,
  type TokenOwner,
  type WorkshopRecord,
} from './store.js'

export type { PostgresOptions } from './pg-pool.js'

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const
  private closed = false
  private keys: DocKeys

  private constructor(private pool: pg.Pool) {
    this.keys = new DocKeys(pool)
  }

  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const pool = openPool(url, opts)
    const store = new PostgresStore(pool)
    try {
      await store.tx((c) => migrate(c, opts.schema))
    } catch (err) {
      await pool.end()
      throw err
    }
    return store
  }

  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, fn)
  }

  ping(): Promise<boolean> {
    return ping(this.pool)
  }

  async createWorkshop(rec: WorkshopRecord): Promise<boolean> {
    const key = newDocKey()
    const r = await this.pool.query(
      `INSERT INTO workshops (code, title, locale, template, facilitator_hash, control, created_at, last_activity, doc_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING`,
      [rec.code, rec.title, rec.locale, rec.template, rec.facilitatorTokenHash, JSON.stringify(rec.control), rec.createdAt, rec.lastActivity, key],
    )
    if (r.rowCount !== 1) return false
    this.keys.remember(rec.code, key)
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
    this.keys.forget(code)
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

  async appendUpdate(doc: string, update: Uint8Array): Promise<number> {
    const code = workshopOf(doc)
    // A second try when the cached key turns out stale (the code was deleted and drawn again).
    for (let attempt = 0; attempt < 2; attempt++) {
      const k = await this.keys.of(code)
      if (!k) break
      const r = await this.pool.query<{ seq: string }>({
        name: 'kasane_append',
        // Only into the workshop the key belongs to, and only while it exists: a room that has
        // not yet heard of a deletion must not leave text behind. Same round trip.
        text: `INSERT INTO doc_updates (doc, data)
               SELECT $1::text, $2::bytea FROM workshops WHERE code = $3 AND doc_key IS NOT DISTINCT FROM $4::bytea
               RETURNING seq`,
        values: [doc, seal(k.key, doc, update), code, k.key],
      })
      if (r.rows[0]) return Number(r.rows[0].seq)
      this.keys.forget(code)
    }
    throw new WorkshopGoneError(doc)
  }

  async loadDoc(doc: string): Promise<StoredDoc> {
    const code = workshopOf(doc)
    for (let attempt = 0; ; attempt++) {
      const k = await this.keys.of(code)
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
          const data = unseal(k.key, doc, row.data)
          if (row.kind === 0) snapshot = data
          else updates.push(data)
          lastSeq = Math.max(lastSeq, Number(row.seq))
        }
        return { snapshot, updates, lastSeq }
      } catch (err) {
        // Unreadable with the cached key: ask for the current one once, then report the damage.
        this.keys.forget(code)
        if (attempt > 0) throw err
      }
    }
  }

  async compactDoc(doc: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    const code = workshopOf(doc)
    const k = await this.keys.of(code)
    if (!k) return
    const fresh = coverageOf(snapshot)
    await this.tx(async (c) => {
      // One compaction of a document at a time across nodes, each reading what the last wrote;
      // the key share keeps a deletion from passing in between (nothing stored after it).
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kasane.compact:${doc}`])
      const w = await c.query('SELECT 1 FROM workshops WHERE code = $1 AND doc_key IS NOT DISTINCT FROM $2::bytea FOR KEY SHARE', [code, k.key])
      if (w.rowCount !== 1) return
      const prev = (await c.query<{ data: Buffer }>('SELECT data FROM doc_snapshots WHERE doc = $1', [doc])).rows[0]
      const { state, covers } = successor(snapshot, fresh, prev ? unseal(k.key, doc, prev.data) : null)
      const rows = (await c.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc = $1 AND seq <= $2', [doc, uptoSeq])).rows
      const drop = rows.filter((r) => {
        try {
          return contains(covers, coverageOf(unseal(k.key, doc, r.data)))
        } catch {
          return false // unreadable: kept, never dropped on a guess
        }
      })
      await c.query(
        `INSERT INTO doc_snapshots (doc, data, upto_seq) VALUES ($1, $2, $3)
         ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto_seq = GREATEST(doc_snapshots.upto_seq, excluded.upto_seq)`,
        [doc, seal(k.key, doc, state), uptoSeq],
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
