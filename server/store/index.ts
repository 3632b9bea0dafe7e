// Picks the storage for this deployment: PostgreSQL when DATABASE_URL is set (several nodes share
// it), else the embedded SQLite file under DATA_DIR.
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Store } from './store.js'

export async function createStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, log?: Logger): Promise<Store> {
  // Loaded on demand so that a deployment only loads the driver it uses.
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres.js')
    return PostgresStore.open(config.databaseUrl)
  }
  const { SqliteStore } = await import('./sqlite.js')
  return new SqliteStore(config.dataDir, log && ((error) => log.error('sqlite checkpoint failed', { error })))
}

/**
 * appendUpdate into a workshop that no longer exists: its room had not yet heard of the deletion.
 * Refused so that nothing written after a deletion stays behind in storage.
 */
export class WorkshopGoneError extends Error {
  constructor(doc: string) {
    super(`the workshop of document ${JSON.stringify(doc.slice(0, 80))} no longer exists`)
    this.name = 'WorkshopGoneError'
  }
}

/** The room code a document belongs to (`<code>` or `<code>/notebook/<participantId>`). */
export const workshopOf = (doc: string) => {
  const slash = doc.indexOf('/')
  return slash < 0 ? doc : doc.slice(0, slash)
}
