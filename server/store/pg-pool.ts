// This node's connections to PostgreSQL: opening the pool, transactions, and the health probe.
import pg from 'pg'
import { checkSchemaName } from './pg-schema.js'

export type PostgresOptions = {
  /** A schema of its own (created when missing); tests use one per run. Default: the search_path. */
  schema?: string
  /** Connections in this node's pool. */
  max?: number
}

export function openPool(url: string, opts: PostgresOptions): pg.Pool {
  checkSchemaName(opts.schema)
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5000,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  })
  // An idle connection that drops (server restart) must not crash the node; the pool replaces
  // it and the next query reports any lasting failure.
  pool.on('error', () => {})
  return pool
}

/** Runs `fn` in a transaction; a connection left in an unknown state is discarded, not reused. */
export async function transaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect()
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

// A health check must answer even when the database does not: a hung query counts as down.
export async function ping(pool: pg.Pool): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 3000)))
  const ok = pool.query('SELECT 1').then(
    () => true,
    () => false,
  )
  try {
    return await Promise.race([ok, late])
  } finally {
    clearTimeout(timer)
  }
}
