// Export endpoints of SPEC §3: report PDF, personal sheet PDF, JSON, and every sheet in one ZIP.
// Checks run token (401) → room code (404) → role and workshop (403); nothing a person wrote is
// ever logged.
import express, { type Request, type Response } from 'express'
import type * as Y from 'yjs'
import JSZip from 'jszip'
import { ID_PATTERN, normalizeCode } from '../../shared/limits.js'
import { notebookRoom, type Locale } from '../../shared/protocol.js'
import { readNotebook } from '../../shared/layout.js'
import type { Store, WorkshopRecord } from '../store/store.js'
import type { Identity } from '../sync/identity.js'
import type { Logger } from '../log.js'
import { bearerToken } from '../auth.js'
import { sendError } from '../http/errors.js'
import { gatherInput } from './input.js'
import { renderReport } from './report.js'
import { renderSheet } from './sheet.js'
import { buildExportJson } from './json.js'
import { contentDisposition, safeFilePart } from './filename.js'
import { loadFaces } from './pdf/fonts.js'

export type ExportKind = 'report' | 'sheet' | 'json' | 'zip'

export type ExportDeps = {
  store: Store
  /** A read-only copy of a document's current state: `<code>` (board) or `<code>/notebook/<pid>`. */
  readDoc(name: string): Promise<Y.Doc>
  /** Resolves a bearer token to its identity, or null. */
  identify(token: string): Promise<Identity | null>
  log: Logger
  /** Called with the milliseconds each export took (metrics); optional. */
  observe?(kind: ExportKind, ms: number): void
  /**
   * The per-address limit on unknown room codes (SPEC §3), shared with the rest of the API; when
   * given, a token holder cannot use these routes to probe for codes either.
   */
  guard?: CodeLookupGuard
}

export type CodeLookupGuard = {
  /** Seconds until the address may look up codes again, or 0. */
  blockedFor(address: string): number
  /** Counts a miss; returns the seconds of the block it caused, or 0. */
  miss(address: string): Promise<number>
}

type Authorized = { who: Identity; code: string; workshop: WorkshopRecord }

const MIME: Record<ExportKind, string> = { report: 'application/pdf', sheet: 'application/pdf', json: 'application/json; charset=utf-8', zip: 'application/zip' }

export function exportRoutes(deps: ExportDeps): express.Router {
  const router = express.Router()
  // Parse the fonts now rather than in the first download.
  loadFaces()

  // AUTH: token → room code → (role checked by each route).
  async function authorize(req: Request, res: Response): Promise<Authorized | null> {
    const token = bearerToken(req)
    const who = token ? await deps.identify(token) : null
    if (!who) {
      sendError(res, 'UNAUTHORIZED', 'a valid token is required')
      return null
    }
    const address = req.ip ?? ''
    const blocked = deps.guard?.blockedFor(address) ?? 0
    if (blocked) {
      sendError(res, 'RATE_LIMITED', 'too many unknown room codes; try again later', blocked)
      return null
    }
    // Malformed and unknown codes do the same work and get the same answer.
    const code = normalizeCode(String(req.params.code ?? ''))
    const workshop = await deps.store.getWorkshop(code ?? 'ZZZZZZ')
    if (!code || !workshop) {
      const after = (await deps.guard?.miss(address)) ?? 0
      if (after) sendError(res, 'RATE_LIMITED', 'too many unknown room codes; try again later', after)
      else sendError(res, 'NOT_FOUND', 'no workshop with this room code')
      return null
    }
    if (who.code !== code) {
      sendError(res, 'FORBIDDEN', 'this token belongs to another workshop')
      return null
    }
    return { who, code, workshop }
  }

  function langOf(req: Request, res: Response, workshop: WorkshopRecord): Locale | null {
    const q = req.query.lang
    if (q === undefined) return workshop.locale
    if (q === 'ja' || q === 'en') return q
    sendError(res, 'INVALID', 'lang must be "ja" or "en"')
    return null
  }

  function flag(req: Request, res: Response, name: string): boolean | null {
    const q = req.query[name]
    if (q === undefined || q === '0' || q === 'false') return false
    if (q === '1' || q === 'true') return true
    sendError(res, 'INVALID', `${name} must be 1 or 0`)
    return null
  }

  async function send(res: Response, kind: ExportKind, code: string, filename: string, make: () => Promise<Buffer | string>): Promise<void> {
    const started = performance.now()
    try {
      const body = await make()
      const ms = performance.now() - started
      deps.observe?.(kind, ms)
      deps.log.info('export', { kind, code, ms: Math.round(ms), bytes: Buffer.byteLength(body) })
      res.setHeader('Content-Type', MIME[kind])
      res.setHeader('Content-Disposition', contentDisposition(filename))
      res.setHeader('Cache-Control', 'no-store')
      res.setHeader('X-Content-Type-Options', 'nosniff')
      res.status(200).send(body)
    } catch (err) {
      // Only the kind of failure, never its message: it may quote what someone wrote.
      deps.log.error('export failed', { kind, code, error: err instanceof Error ? err.name : 'unknown' })
      if (!res.headersSent) sendError(res, 'INTERNAL', 'the export failed')
    }
  }

  router.get('/api/workshops/:code/report.pdf', async (req, res) => {
    const auth = await authorize(req, res)
    if (!auth) return
    if (auth.who.role !== 'facilitator') return sendError(res, 'FORBIDDEN', 'only the facilitator may download the report')
    const lang = langOf(req, res, auth.workshop)
    const anonymous = flag(req, res, 'anonymous')
    if (!lang || anonymous === null) return
    await send(res, 'report', auth.code, `kasane-${auth.code}-report${anonymous ? '-anonymous' : ''}.pdf`, async () => {
      const input = await gatherInput(deps.store, deps.readDoc, auth.code)
      if (!input) throw new Error('workshop vanished')
      return renderReport(input, lang, { anonymous })
    })
  })

  router.get('/api/workshops/:code/participants/:pid/sheet.pdf', async (req, res) => {
    const auth = await authorize(req, res)
    if (!auth) return
    const pid = String(req.params.pid ?? '')
    const own = auth.who.role === 'participant' && auth.who.participantId === pid
    if (auth.who.role !== 'facilitator' && !own) return sendError(res, 'FORBIDDEN', 'a sheet is for its participant or the facilitator')
    const lang = langOf(req, res, auth.workshop)
    if (!lang) return
    const participant = ID_PATTERN.test(pid) ? await deps.store.getParticipant(auth.code, pid) : null
    if (!participant) return sendError(res, 'NOT_FOUND', 'no such participant')
    await send(res, 'sheet', auth.code, `kasane-${auth.code}-${safeFilePart(participant.name)}.pdf`, async () => {
      const [input, notebook] = await Promise.all([
        gatherInput(deps.store, deps.readDoc, auth.code),
        own ? deps.readDoc(notebookRoom(auth.code, pid)).then(readNotebook) : Promise.resolve(null),
      ])
      if (!input || !input.roster.some((p) => p.participantId === pid)) throw new Error('participant vanished')
      return renderSheet(input, lang, { participantId: pid, notebook })
    })
  })

  router.get('/api/workshops/:code/export.json', async (req, res) => {
    const auth = await authorize(req, res)
    if (!auth) return
    if (auth.who.role !== 'facilitator') return sendError(res, 'FORBIDDEN', 'only the facilitator may export the workshop')
    await send(res, 'json', auth.code, `kasane-${auth.code}.json`, async () => {
      const input = await gatherInput(deps.store, deps.readDoc, auth.code)
      if (!input) throw new Error('workshop vanished')
      return JSON.stringify(buildExportJson(input, Date.now()), null, 2)
    })
  })

  router.get('/api/workshops/:code/sheets.zip', async (req, res) => {
    const auth = await authorize(req, res)
    if (!auth) return
    if (auth.who.role !== 'facilitator') return sendError(res, 'FORBIDDEN', 'only the facilitator may download every sheet')
    const lang = langOf(req, res, auth.workshop)
    if (!lang) return
    await send(res, 'zip', auth.code, `kasane-${auth.code}-sheets.zip`, async () => {
      const input = await gatherInput(deps.store, deps.readDoc, auth.code)
      if (!input) throw new Error('workshop vanished')
      const zip = new JSZip()
      const width = Math.max(2, String(input.roster.length).length)
      for (const [i, p] of input.roster.entries()) {
        // One at a time: each sheet yields to the event loop while it is written out.
        const pdfBytes = await renderSheet(input, lang, { participantId: p.participantId, notebook: null })
        zip.file(`${String(i + 1).padStart(width, '0')}-${safeFilePart(p.name)}-${p.participantId}.pdf`, pdfBytes, { date: new Date(input.workshop.createdAt) })
      }
      return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' })
    })
  })

  return router
}
