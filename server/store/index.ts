// Picks the storage for this deployment: PostgreSQL when DATABASE_URL is set (several nodes share
// it), else the embedded SQLite file under DATA_DIR.
import type { Config } from '../config.js'
import { SqliteStore } from './sqlite.js'
import type { Store } from './store.js'

export async function createStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) throw new Error('DATABASE_URL: PostgreSQL storage is not available in this build yet')
  return new SqliteStore(config.dataDir)
}
