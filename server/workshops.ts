// Workshops and their people: creation, joining, identity, and the cache of loaded records that
// the control plane and the sync server read. Changes are announced as events so that each part
// reacts in its own place (rooms close, state is broadcast), and on other nodes through the bus.
import { EventEmitter } from 'node:events'
import { customAlphabet, nanoid } from 'nanoid'
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH, normalizeCode } from '../shared/limits.js'
import type { Locale } from '../shared/protocol.js'
import { phasesFor } from '../shared/templates.js'
import { hashToken, newToken } from './auth.js'
import type { Bus } from './bus/bus.js'
import { idleTimer } from './control/core.js'
import type { Logger } from './log.js'
import type { Identity } from './sync/identity.js'
import type { ControlRecord, ParticipantRecord, Store, WorkshopRecord } from './store/store.js'

export const PALETTE = [
  '#e4572e', '#17bebb', '#ffc914', '#2e86ab', '#76b041', '#a23b72',
  '#f18f01', '#3b1f2b', '#6a4c93', '#1982c4', '#8ac926', '#ff595e',
  '#c44536', '#197278', '#772e25', '#4d9078', '#b4436c', '#5f0f40',
]

const newCode = customAlphabet(ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH)
const CHANGED_CHANNEL = 'workshop-changed'
const TOUCH_EVERY_MS = 60_000

export type Entry = { rec: WorkshopRecord; participants: ParticipantRecord[] }

/** Where a change was decided: on this node, or on another one (heard through the bus). */
export type Origin = 'local' | 'remote'

type Events = {
  changed: [code: string, entry: Entry, origin: Origin]
  removed: [code: string, participantId: string]
  deleted: [code: string]
}

export class Workshops extends EventEmitter<Events> {
  private cache = new Map<string, Promise<Entry | null>>()
  private touched = new Map<string, number>()
  private unsubscribe: () => void

  constructor(
    private store: Store,
    private bus: Bus,
    private log: Logger,
    private maxParticipants: number,
  ) {
    super()
    // Another node changed a workshop: drop our copy and tell our listeners what it is now.
    this.unsubscribe = bus.subscribe(CHANGED_CHANNEL, (msg) => {
      const [kind, code] = new TextDecoder().decode(msg).split(' ')
      if (!code || !this.cache.has(code)) return
      if (kind === 'deleted') return void this.forget(code, 'deleted')
      void this.reconcile(code)
    })
    // Announcements made while the fan-out was down are lost: read every cached workshop again.
    bus.onReconnect(() => {
      for (const code of this.cache.keys()) void this.reconcile(code)
    })
  }

  /** Reloads a workshop changed elsewhere and tells listeners what differs from our copy. */
  private async reconcile(code: string): Promise<void> {
    try {
      const before = await this.cache.get(code)
      this.cache.delete(code)
      const after = await this.get(code)
      if (!after) return void (before && this.forget(code, 'deleted'))
      const still = new Set(after.participants.map((p) => p.participantId))
      for (const p of before?.participants ?? []) if (!still.has(p.participantId)) this.emit('removed', code, p.participantId)
      this.emit('changed', code, after, 'remote')
    } catch (err) {
      this.log.warn('reloading a workshop changed elsewhere failed', { code, error: String(err) })
    }
  }

  async create(input: { title: string; locale: Locale; template: string; now: number }): Promise<{ code: string; token: string } | null> {
    const phases = phasesFor(input.template, input.locale)
    if (!phases) return null
    const token = newToken()
    const base = { phases, phaseIndex: 0, locked: false, ended: false, focus: null, ready: {}, groups: {} }
    const control: ControlRecord = { ...base, timer: idleTimer(base) }
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = newCode()
      const rec: WorkshopRecord = {
        code,
        title: input.title,
        locale: input.locale,
        template: input.template,
        facilitatorTokenHash: hashToken(token),
        control,
        createdAt: input.now,
        lastActivity: input.now,
      }
      if (await this.store.createWorkshop(rec)) {
        this.cache.set(code, Promise.resolve({ rec, participants: [] }))
        return { code, token }
      }
    }
    throw new Error('no free room code after 20 attempts')
  }

  /** The cached workshop, loaded on first use; null when unknown or malformed. */
  get(code: string): Promise<Entry | null> {
    const c = normalizeCode(code)
    if (!c) return Promise.resolve(null)
    let p = this.cache.get(c)
    if (!p) {
      p = Promise.all([this.store.getWorkshop(c), this.store.listParticipants(c)]).then(([rec, participants]) =>
        rec ? { rec, participants } : null,
      )
      this.cache.set(c, p)
      p.then((e) => !e && this.cache.get(c) === p && this.cache.delete(c), () => this.cache.delete(c))
    }
    return p
  }

  async join(code: string, name: string, now: number): Promise<'full' | ParticipantRecord & { token: string }> {
    const entry = await this.get(code)
    if (!entry) throw new Error('join on an unknown workshop')
    const token = newToken()
    const rec: ParticipantRecord = {
      code: entry.rec.code,
      participantId: nanoid(12),
      name,
      color: PALETTE[entry.participants.length % PALETTE.length]!,
      tokenHash: hashToken(token),
      joinedAt: now,
    }
    if ((await this.store.addParticipant(rec, this.maxParticipants)) === 'full') return 'full'
    await this.refresh(entry.rec.code)
    return { ...rec, token }
  }

  async identify(token: string): Promise<Identity | null> {
    const owner = await this.store.findToken(hashToken(token))
    if (!owner) return null
    return owner.role === 'facilitator'
      ? { role: 'facilitator', code: owner.code, participantId: null }
      : { role: 'participant', code: owner.code, participantId: owner.participantId }
  }

  /** Runs a pure change on the control record; listeners hear the new entry. */
  async updateControl<T>(code: string, now: number, change: (rec: WorkshopRecord) => { control?: ControlRecord; result: T }): Promise<T | null> {
    let changed = false
    const result = await this.store.updateControl(code, now, (rec) => {
      const out = change(rec)
      changed = out.control !== undefined
      return out
    })
    // A refused change announces nothing, here or on other nodes.
    if (changed) await this.refresh(code)
    return result
  }

  async removeParticipant(code: string, participantId: string): Promise<void> {
    await this.store.removeParticipant(code, participantId)
    this.emit('removed', code, participantId)
    await this.refresh(code)
  }

  async delete(code: string): Promise<void> {
    await this.store.deleteWorkshop(code)
    this.forget(code, 'deleted')
    this.bus.publish(CHANGED_CHANNEL, new TextEncoder().encode(`deleted ${code}`))
  }

  /** Records activity for retention, at most once a minute per workshop. */
  touch(code: string, now: number): void {
    if (now - (this.touched.get(code) ?? 0) < TOUCH_EVERY_MS) return
    this.touched.set(code, now)
    this.store.touch(code, now).catch((err) => this.log.warn('touch failed', { code, error: String(err) }))
  }

  async deleteStale(now: number, retentionDays: number): Promise<number> {
    const stale = await this.store.staleWorkshops(now - retentionDays * 86_400_000)
    for (const code of stale) await this.delete(code)
    if (stale.length) this.log.info('retention deleted workshops', { count: stale.length })
    return stale.length
  }

  close(): void {
    this.unsubscribe()
    this.removeAllListeners()
  }

  private async refresh(code: string): Promise<void> {
    this.cache.delete(code)
    const entry = await this.get(code)
    this.bus.publish(CHANGED_CHANNEL, new TextEncoder().encode(`changed ${code}`))
    if (entry) this.emit('changed', code, entry, 'local')
  }

  private forget(code: string, _why: 'deleted'): void {
    this.cache.delete(code)
    this.touched.delete(code)
    this.emit('deleted', code)
  }
}
