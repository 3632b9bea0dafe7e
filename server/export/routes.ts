// Export endpoints (being written).
import express, { type Router } from 'express'
import type * as Y from 'yjs'
import type { Logger } from '../log.js'
import type { Store } from '../store/store.js'
import type { Identity } from '../sync/identity.js'

export type ExportDeps = {
  store: Store
  readDoc(name: string): Promise<Y.Doc>
  identify(token: string): Promise<Identity | null>
  log: Logger
  observe?(kind: 'report' | 'sheet' | 'json' | 'zip', ms: number): void
}

export function exportRoutes(_deps: ExportDeps): Router {
  return express.Router()
}
