// The HTTP API of SPEC §3 (exports live in server/export/routes.ts). Each handler reads
// authorise → validate → change → answer; expected failures are answered with sendError.
import { timingSafeEqual, createHash } from 'node:crypto'
import express, { type Request, type Response, type Router } from 'express'
import { createVisionItem, createPerson } from '../../shared/layout.js'
import { normalizeCode } from '../../shared/limits.js'
import { createWorkshopSchema, joinSchema, type CreateWorkshopResponse, type JoinResponse, type MeResponse, type WorkshopInfo } from '../../shared/protocol.js'
import { TEMPLATES } from '../../shared/templates.js'
import { nanoid } from 'nanoid'
import { bearerToken } from '../auth.js'
import type { Config } from '../config.js'
import type { Store } from '../store/store.js'
import type { Identity } from '../sync/identity.js'
import type { Workshops, Entry } from '../workshops.js'
import { sendError } from './errors.js'
import type { CodeGuard } from './code-guard.js'

export type ApiDeps = {
  config: Config
  store: Store
  workshops: Workshops
  guard: CodeGuard
  /** Writes to a board as the server: stored before it is relayed. */
  editBoard(code: string, edit: (doc: import('yjs').Doc) => void): Promise<void>
  /** The roster changed: everyone in the workshop gets the new state. */
  onJoined(code: string): Promise<void>
}

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())

export function publicBase(config: Config, req: Request): string {
  return config.publicUrl ?? `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`
}

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const i = error.issues[0]
  return i ? `${i.path.map(String).join('.') || 'body'}: ${i.message}` : 'invalid request'
}

/** Token → identity, or answers 401 and returns null. */
async function requireIdentity(deps: ApiDeps, req: Request, res: Response): Promise<Identity | null> {
  const token = bearerToken(req)
  const who = token ? await deps.workshops.identify(token) : null
  if (!who) sendError(res, 'UNAUTHORIZED', 'a valid token is required')
  return who
}

export function apiRoutes(deps: ApiDeps): Router {
  const { config, workshops, guard } = deps
  const r = express.Router()

  /** A room-code lookup: rate limited per client address, the same answer for malformed and unknown codes. */
  async function lookup(req: Request, res: Response): Promise<Entry | null> {
    const blocked = guard.blockedFor(req.ip ?? '')
    if (blocked) {
      sendError(res, 'RATE_LIMITED', 'too many unknown room codes; try again later', blocked)
      return null
    }
    const raw = String(req.params.code ?? '')
    const entry = await workshops.get(normalizeCode(raw) ?? 'ZZZZZZ')
    if (!entry) {
      const after = await guard.miss(req.ip ?? '')
      if (after) sendError(res, 'RATE_LIMITED', 'too many unknown room codes; try again later', after)
      else sendError(res, 'NOT_FOUND', 'no workshop with this room code')
      return null
    }
    return entry
  }

  r.get('/healthz', async (_req, res) => {
    const ok = await deps.store.ping().catch(() => false)
    res.status(ok ? 200 : 503).json(ok ? { ok: true } : { ok: false })
  })

  r.post('/api/workshops', async (req, res) => {
    // AUTH
    if (config.createKey) {
      const key = req.get('x-create-key')
      if (!key || !sameSecret(key, config.createKey)) return sendError(res, 'UNAUTHORIZED', 'a valid X-Create-Key header is required')
    }
    // VALIDATION
    const parsed = createWorkshopSchema.safeParse(req.body ?? {})
    if (!parsed.success) return sendError(res, 'INVALID', firstIssue(parsed.error))
    const body = parsed.data
    if (!TEMPLATES[body.template]) return sendError(res, 'INVALID', `template: unknown template "${body.template.slice(0, 64)}"`)
    // RESOLUTION
    const made = await workshops.create({ title: body.title, locale: body.locale, template: body.template, now: Date.now() })
    if (!made) return sendError(res, 'INVALID', 'template: unknown template')
    await deps.editBoard(made.code, (doc) => {
      body.vision.forEach((v, i) => createVisionItem(doc, nanoid(12), v.title, v.body ?? '', { x: (i % 5) * 280, y: Math.floor(i / 5) * 200 }))
    })
    const base = publicBase(config, req)
    const answer: CreateWorkshopResponse = {
      code: made.code,
      facilitatorToken: made.token,
      joinUrl: `${base}/j/${made.code}`,
      facilitatorUrl: `${base}/f/${made.code}#token=${made.token}`,
    }
    res.status(201).json(answer)
  })

  r.get('/api/workshops/:code', async (req, res) => {
    const entry = await lookup(req, res)
    if (!entry) return
    const { rec, participants } = entry
    const info: WorkshopInfo = {
      code: rec.code,
      title: rec.title,
      locale: rec.locale,
      phase: { index: rec.control.phaseIndex, title: rec.control.phases[rec.control.phaseIndex]?.title ?? '' },
      participantCount: participants.length,
      ended: rec.control.ended,
      joinUrl: `${publicBase(config, req)}/j/${rec.code}`,
    }
    res.json(info)
  })

  r.post('/api/workshops/:code/participants', async (req, res) => {
    const entry = await lookup(req, res)
    if (!entry) return
    const parsed = joinSchema.safeParse(req.body ?? {})
    if (!parsed.success) return sendError(res, 'INVALID', firstIssue(parsed.error))
    if (entry.rec.control.ended) return sendError(res, 'ENDED', 'this workshop has ended')
    const now = Date.now()
    const joined = await workshops.join(entry.rec.code, parsed.data.name, now)
    if (joined === 'full') return sendError(res, 'CONFLICT', 'this workshop is full')
    // The entry exists before the participant holds a token, so every write of theirs has a place.
    await deps.editBoard(entry.rec.code, (doc) => createPerson(doc, joined.participantId))
    workshops.touch(entry.rec.code, now)
    // The join is stored: telling the room may fail (the bus is down) without failing the join.
    await deps.onJoined(entry.rec.code).catch(() => {})
    const answer: JoinResponse = { participantId: joined.participantId, participantToken: joined.token, color: joined.color }
    res.status(201).json(answer)
  })

  r.get('/api/me', async (req, res) => {
    const who = await requireIdentity(deps, req, res)
    if (!who) return
    if (who.role === 'facilitator') return res.json({ role: 'facilitator', code: who.code } satisfies MeResponse)
    const entry = await workshops.get(who.code)
    const me = entry?.participants.find((p) => p.participantId === who.participantId)
    res.json({ role: 'participant', code: who.code, participantId: who.participantId, name: me?.name } satisfies MeResponse)
  })

  r.delete('/api/workshops/:code', async (req, res) => {
    const who = await requireIdentity(deps, req, res)
    if (!who) return
    const code = normalizeCode(String(req.params.code))
    if (!code || !(await workshops.get(code))) return sendError(res, 'NOT_FOUND', 'no workshop with this room code')
    if (who.role !== 'facilitator' || who.code !== code) return sendError(res, 'FORBIDDEN', 'only this workshop\'s facilitator may delete it')
    await workshops.delete(code)
    res.status(204).end()
  })

  return r
}
