// The PostgreSQL tables and how a database reaches the newest of them. Kept apart from the store so
// that a schema change reads as one diff.
import type pg from 'pg'

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

// The name is spliced into SQL and a connection option, where it cannot be a bound parameter.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export function checkSchemaName(schema: string | undefined) {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`)
}

/** Brings the database up to date; `c` is inside a transaction the caller commits. */
export async function migrate(c: pg.PoolClient, schema: string | undefined) {
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
}
