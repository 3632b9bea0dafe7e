// The embedded default: one SQLite file under DATA_DIR. better-sqlite3 is synchronous, so every
// method finishes its work before returning a settled promise; within this process nothing can
// interleave with a transaction, and IMMEDIATE plus busy_timeout covers a second process.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Locale } from '../../shared/protocol.js'
import { WorkshopGoneError, workshopOf } from './index.js'
import { Checkpointer, type FoldPolicy } from './sqlite-checkpoint.js'
import {
  docsOfWorkshopPrefix,
  type ControlRecord,
  type ParticipantRecord,
  type Store,
  type StoredDoc,
  type TokenOwner,
  type WorkshopRecord,
} from './store.js'

// Ordered; entry i brings the schema from user_version i to i + 1. Never edit a shipped entry.
const MIGRATIONS: string[] = [
  `CREATE TABLE workshops (
     code TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     locale TEXT NOT NULL,
     template TEXT NOT NULL,
     facilitator_hash TEXT NOT NULL UNIQUE,
     control TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_activity INTEGER NOT NULL
   );
   CREATE INDEX workshops_last_activity ON workshops (last_activity);
   CREATE TABLE participants (
     code TEXT NOT NULL REFERENCES workshops (code) ON DELETE CASCADE,
     participant_id TEXT NOT NULL,
     name TEXT NOT NULL,
     color TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     joined_at INTEGER NOT NULL,
     PRIMARY KEY (code, participant_id)
   );
   CREATE TABLE doc_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX doc_updates_doc_seq ON doc_updates (doc, seq);
   CREATE TABLE doc_snapshots (
     doc TEXT PRIMARY KEY,
     data BLOB NOT NULL,
     upto_seq INTEGER NOT NULL
   );`,
]

type WorkshopRow = {
  code: string
  title: string
  locale: string
  template: string
  facilitator_hash: string
  control: string
  created_at: number
  last_activity: number
}
type ParticipantRow = { code: string; participant_id: string; name: string; color: string; token_hash: string; joined_at: number }

const toWorkshop = (r: WorkshopRow): WorkshopRecord => ({
  code: r.code,
  title: r.title,
  locale: r.locale as Locale,
  template: r.template,
  facilitatorTokenHash: r.facilitator_hash,
  control: JSON.parse(r.control) as ControlRecord,
  createdAt: r.created_at,
  lastActivity: r.last_activity,
})

const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  code: r.code,
  participantId: r.participant_id,
  name: r.name,
  color: r.color,
  tokenHash: r.token_hash,
  joinedAt: r.joined_at,
})

/** Every name starting with `prefix` sorts in [prefix, prefixEnd(prefix)) bytewise, so the index serves it. */
export const prefixEnd = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)

function prepareStatements(db: Database.Database) {
  return {
    ping: db.prepare('SELECT 1 AS one').pluck(),
    insertWorkshop: db.prepare(
      `INSERT INTO workshops (code, title, locale, template, facilitator_hash, control, created_at, last_activity)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
    ),
    getWorkshop: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE code = ?'),
    setControl: db.prepare('UPDATE workshops SET control = ?, last_activity = max(last_activity, ?) WHERE code = ?'),
    touch: db.prepare('UPDATE workshops SET last_activity = max(last_activity, ?) WHERE code = ?'),
    stale: db.prepare<[number], string>('SELECT code FROM workshops WHERE last_activity < ? ORDER BY last_activity').pluck(),
    deleteWorkshop: db.prepare('DELETE FROM workshops WHERE code = ?'),
    deleteParticipants: db.prepare('DELETE FROM participants WHERE code = ?'),
    countParticipants: db.prepare<[string], number>('SELECT count(*) FROM participants WHERE code = ?').pluck(),
    insertParticipant: db.prepare(
      'INSERT INTO participants (code, participant_id, name, color, token_hash, joined_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    listParticipants: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE code = ? ORDER BY joined_at, participant_id'),
    getParticipant: db.prepare<[string, string], ParticipantRow>('SELECT * FROM participants WHERE code = ? AND participant_id = ?'),
    deleteParticipant: db.prepare('DELETE FROM participants WHERE code = ? AND participant_id = ?'),
    facilitatorToken: db.prepare<[string], string>('SELECT code FROM workshops WHERE facilitator_hash = ?').pluck(),
    participantToken: db.prepare<[string], { code: string; participant_id: string }>(
      'SELECT code, participant_id FROM participants WHERE token_hash = ?',
    ),
    // Only into a workshop that still exists: a room that has not yet heard of a deletion must
    // not leave text behind it. One index probe, in the same statement.
    append: db.prepare('INSERT INTO doc_updates (doc, data) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM workshops WHERE code = ?)'),
    snapshot: db.prepare<[string], { data: Buffer; upto_seq: number }>('SELECT data, upto_seq FROM doc_snapshots WHERE doc = ?'),
    // Not filtered by upto_seq: whatever compaction left behind was not in its snapshot, and
    // applying an update twice is harmless in Yjs.
    updates: db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc = ? ORDER BY seq'),
    putSnapshot: db.prepare(
      `INSERT INTO doc_snapshots (doc, data, upto_seq) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM workshops WHERE code = ?)
       ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq
       WHERE excluded.upto_seq >= doc_snapshots.upto_seq`,
    ),
    trimUpdates: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
    deleteUpdates: db.prepare('DELETE FROM doc_updates WHERE doc = ?'),
    deleteSnapshot: db.prepare('DELETE FROM doc_snapshots WHERE doc = ?'),
    deleteUpdatesRange: db.prepare('DELETE FROM doc_updates WHERE doc >= ? AND doc < ?'),
    deleteSnapshotsRange: db.prepare('DELETE FROM doc_snapshots WHERE doc >= ? AND doc < ?'),
  }
}

/** Multi-statement writes, wrapped once; each runs as one IMMEDIATE transaction. */
function prepareTransactions(db: Database.Database, q: ReturnType<typeof prepareStatements>) {
  return {
    updateControl: db.transaction(
      <T>(code: string, now: number, change: (rec: WorkshopRecord) => { control?: ControlRecord; result: T }): T | null => {
        const row = q.getWorkshop.get(code)
        if (!row) return null
        const out = change(toWorkshop(row))
        if (out.control) q.setControl.run(JSON.stringify(out.control), now, code)
        return out.result
      },
    ),
    addParticipant: db.transaction((rec: ParticipantRecord, max: number): 'ok' | 'full' => {
      if (q.countParticipants.get(rec.code)! >= max) return 'full'
      q.insertParticipant.run(rec.code, rec.participantId, rec.name, rec.color, rec.tokenHash, rec.joinedAt)
      return 'ok'
    }),
    deleteWorkshop: db.transaction((code: string) => {
      const prefix = docsOfWorkshopPrefix(code)
      q.deleteUpdates.run(code)
      q.deleteSnapshot.run(code)
      q.deleteUpdatesRange.run(prefix, prefixEnd(prefix))
      q.deleteSnapshotsRange.run(prefix, prefixEnd(prefix))
      q.deleteParticipants.run(code)
      q.deleteWorkshop.run(code)
    }),
    removeParticipant: db.transaction((code: string, participantId: string) => {
      const notebook = `${code}/notebook/${participantId}`
      q.deleteParticipant.run(code, participantId)
      q.deleteUpdates.run(notebook)
      q.deleteSnapshot.run(notebook)
    }),
    // A read transaction, so that a compaction by another process cannot fall between the reads.
    loadDoc: db.transaction((doc: string): StoredDoc => {
      const snap = q.snapshot.get(doc)
      const rows = q.updates.all(doc)
      const last = rows.length > 0 ? rows[rows.length - 1]!.seq : 0
      return {
        snapshot: snap ? snap.data : null,
        updates: rows.map((r) => r.data),
        lastSeq: Math.max(snap ? snap.upto_seq : 0, last),
      }
    }),
    compactDoc: db.transaction((doc: string, snapshot: Uint8Array, uptoSeq: number) => {
      // A compaction older than the stored snapshot leaves it alone; one that comes after the
      // workshop's deletion stores nothing.
      q.putSnapshot.run(doc, snapshot, uptoSeq, workshopOf(doc))
      q.trimUpdates.run(doc, uptoSeq)
    }),
    deleteDoc: db.transaction((doc: string) => {
      q.deleteUpdates.run(doc)
      q.deleteSnapshot.run(doc)
    }),
  }
}

/** 16 MiB of 4 KiB pages. */
const WAL_BOUND_PAGES = 4096

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
  readonly file: string
  private db: Database.Database
  private closed = false
  private q: ReturnType<typeof prepareStatements>
  private tx: ReturnType<typeof prepareTransactions>
  private checkpointer: Checkpointer

  /** `onError`: a background checkpoint failed (the log then grows to its bound, see below). `fold`: see sqlite-checkpoint.ts. */
  constructor(
    dataDir: string,
    onError: (message: string) => void = (m) => process.stderr.write(`sqlite checkpoint failed: ${m}\n`),
    fold?: FoldPolicy,
  ) {
    fs.mkdirSync(dataDir, { recursive: true })
    this.file = path.join(dataDir, 'kasane.db')
    this.db = new Database(this.file)
    try {
      this.db.pragma('journal_mode = WAL')
      // WAL pages survive a killed process; an fsync per update would cost far more than it buys.
      this.db.pragma('synchronous = NORMAL')
      // Deleted rows are zeroed in place at once (compacted logs, removed notebooks); a deleted
      // workshop also gets the file rebuilt, see deleteWorkshop.
      this.db.pragma('secure_delete = ON')
      this.db.pragma('foreign_keys = ON')
      this.db.pragma('busy_timeout = 5000')
      // Checkpoints run in a worker (sqlite-checkpoint.ts), not inside an append on the event loop;
      // this one only bounds the log when appends come faster than the worker keeps up with.
      this.db.pragma(`wal_autocheckpoint = ${WAL_BOUND_PAGES}`)
      this.migrate()
      this.q = prepareStatements(this.db)
      this.tx = prepareTransactions(this.db, this.q)
      this.checkpointer = new Checkpointer(this.file, onError, fold)
    } catch (err) {
      this.db.close()
      throw err
    }
  }

  private migrate() {
    const version = this.db.pragma('user_version', { simple: true }) as number
    if (version > MIGRATIONS.length) {
      throw new Error(`${this.file} has schema version ${version}, newer than this Kasane (${MIGRATIONS.length})`)
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db
        .transaction(() => {
          this.db.exec(MIGRATIONS[v]!)
          this.db.pragma(`user_version = ${v + 1}`)
        })
        .immediate()
    }
  }

  async ping(): Promise<boolean> {
    try {
      return this.q.ping.get() === 1
    } catch {
      return false
    }
  }

  async createWorkshop(rec: WorkshopRecord): Promise<boolean> {
    const info = this.q.insertWorkshop.run(
      rec.code,
      rec.title,
      rec.locale,
      rec.template,
      rec.facilitatorTokenHash,
      JSON.stringify(rec.control),
      rec.createdAt,
      rec.lastActivity,
    )
    return info.changes === 1
  }

  async getWorkshop(code: string): Promise<WorkshopRecord | null> {
    const row = this.q.getWorkshop.get(code)
    return row ? toWorkshop(row) : null
  }

  async updateControl<T>(
    code: string,
    now: number,
    change: (rec: WorkshopRecord) => { control?: ControlRecord; result: T },
  ): Promise<T | null> {
    return this.tx.updateControl.immediate(code, now, change) as T | null
  }

  async touch(code: string, now: number): Promise<void> {
    this.q.touch.run(now, code)
  }

  async staleWorkshops(before: number): Promise<string[]> {
    return this.q.stale.all(before)
  }

  async deleteWorkshop(code: string): Promise<void> {
    this.tx.deleteWorkshop.immediate(code)
    // secure_delete zeroes deleted cells, but a b-tree rebalance leaves stale copies of moved cells
    // in the unused middle of pages, where they outlive the row (measured: a few per thousand
    // rows). Only rebuilding the file removes them; it costs about 10 ms per MB, during which
    // this process waits. Then the WAL, which holds the pages as they were, is folded in and emptied.
    this.db.exec('VACUUM')
    await this.truncateLog()
  }

  /** Folds the log in and empties it; the checkpoint worker may hold the lock for a moment. */
  private async truncateLog(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
        if (r?.busy === 0) return
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error('the write-ahead log could not be emptied within 2 s')
  }

  async addParticipant(rec: ParticipantRecord, max: number): Promise<'ok' | 'full'> {
    return this.tx.addParticipant.immediate(rec, max)
  }

  async listParticipants(code: string): Promise<ParticipantRecord[]> {
    return this.q.listParticipants.all(code).map(toParticipant)
  }

  async getParticipant(code: string, participantId: string): Promise<ParticipantRecord | null> {
    const row = this.q.getParticipant.get(code, participantId)
    return row ? toParticipant(row) : null
  }

  async removeParticipant(code: string, participantId: string): Promise<void> {
    this.tx.removeParticipant.immediate(code, participantId)
  }

  async findToken(tokenHash: string): Promise<TokenOwner | null> {
    const code = this.q.facilitatorToken.get(tokenHash)
    if (code !== undefined) return { role: 'facilitator', code }
    const p = this.q.participantToken.get(tokenHash)
    return p ? { role: 'participant', code: p.code, participantId: p.participant_id } : null
  }

  appendUpdate(doc: string, update: Uint8Array): number {
    const info = this.q.append.run(doc, update, workshopOf(doc))
    if (info.changes !== 1) throw new WorkshopGoneError(doc)
    this.checkpointer.appended()
    return Number(info.lastInsertRowid)
  }

  async loadDoc(doc: string): Promise<StoredDoc> {
    return this.tx.loadDoc.deferred(doc)
  }

  async compactDoc(doc: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.tx.compactDoc.immediate(doc, snapshot, uptoSeq)
  }

  async deleteDoc(doc: string): Promise<void> {
    this.tx.deleteDoc.immediate(doc)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.checkpointer.stop()
    this.db.close()
  }
}
