// Picks the storage for this deployment: PostgreSQL when DATABASE_URL is set (several nodes share
// it), else the embedded SQLite file under DATA_DIR.
import type { Config } from '../config.js'
import type { Store } from './store.js'

export async function createStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  // Loaded on demand so that a deployment only loads the driver it uses.
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres.js')
    return PostgresStore.open(config.databaseUrl)
  }
  const { SqliteStore } = await import('./sqlite.js')
  return new SqliteStore(config.dataDir)
}
