// A room's awareness (who is here, cursors). Cursors move many times a second in every room, so
// each client's latest state is relayed once per flush, in one message for the whole room,
// instead of every change to every connection; the flush interval follows the process's load
// (pace.ts). A change that has waited half that interval (at least PRESENCE_MIN_MS) also leaves
// with the next edit relayed (`takeDue`), in the same write to each connection, instead of costing
// writes of its own: on a busy node, whose timer is long, presence mostly rides with the edits, and
// no more often than every half interval.
//
// The states are kept as the JSON bytes they arrived in (awareness-filter.ts has checked them) and
// relayed as such, with y-protocols' rules for clocks and removals and its 30 s timeout for
// states that are not renewed: a cursor is parsed once, on arrival, and never written out again.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { NULL_STATE, isNull } from './awareness-filter.js'
import { PRESENCE_MIN_MS } from './pace.js'

/** y-protocols' `outdatedTimeout`: clients renew their state every 15 s. */
const OUTDATED_MS = 30_000

/** How long a change waits before it may leave with an edit, at a flush interval of `everyMs`. */
export const rideAfterMs = (everyMs: number) => Math.max(PRESENCE_MIN_MS, everyMs / 2)

export class Presence {
  /** Live states by client id. */
  private states = new Map<number, Uint8Array>()
  /** Every client id seen: its clock, and when it last changed (Date.now()). */
  private meta = new Map<number, { clock: number; lastUpdated: number }>()
  private local = new Set<number>()
  private fromOtherNodes = new Set<number>()
  private timer: NodeJS.Timeout | undefined
  /** When the oldest change not yet relayed arrived (performance.now()), and how long it waits for an edit. */
  private pendingSince = 0
  private rideAfter = PRESENCE_MIN_MS
  private outdated = setInterval(() => this.removeOutdated(), OUTDATED_MS / 10).unref()

  constructor(
    /** Sends an awareness update to every connection of the room. */
    private relay: (update: Uint8Array) => void,
    /** Sends an awareness update that came from this node to the other nodes. */
    private publish: (update: Uint8Array) => void,
    /** Awareness reaches others at most this often (ms), read at every change. */
    private flushEveryMs: () => number,
  ) {}

  /** Every state there is, for a connection that just arrived (null when nobody is here). */
  all(): Uint8Array | null {
    return this.states.size ? this.encode([...this.states.keys()]) : null
  }

  /** A filtered update from one of this node's connections. */
  apply(update: Uint8Array): void {
    this.changed(this.applyUpdate(update), this.local)
  }

  applyFromBus(update: Uint8Array): void {
    this.changed(this.applyUpdate(update), this.fromOtherNodes)
  }

  /** A connection left: its clients are gone. */
  remove(clientIds: number[]): void {
    const removed: number[] = []
    for (const id of clientIds) {
      if (!this.states.delete(id)) continue
      const m = this.meta.get(id)!
      m.clock++
      m.lastUpdated = Date.now()
      removed.push(id)
    }
    this.changed(removed, this.local)
  }

  destroy(): void {
    clearTimeout(this.timer)
    clearInterval(this.outdated)
  }

  /** y-protocols' applyAwarenessUpdate: the ids whose state was set, renewed or removed. */
  private applyUpdate(update: Uint8Array): number[] {
    const d = decoding.createDecoder(update)
    const now = Date.now()
    const touched: number[] = []
    const count = decoding.readVarUint(d)
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(d)
      const clock = decoding.readVarUint(d)
      const json = decoding.readVarUint8Array(d)
      const m = this.meta.get(id)
      const current = m?.clock ?? 0
      const gone = isNull(json)
      if (!(current < clock || (current === clock && gone && this.states.has(id)))) continue
      if (gone) this.states.delete(id)
      else this.states.set(id, json)
      this.meta.set(id, { clock, lastUpdated: now })
      if (m || !gone) touched.push(id)
    }
    return touched
  }

  private removeOutdated(): void {
    const now = Date.now()
    const stale = [...this.states.keys()].filter((id) => now - this.meta.get(id)!.lastUpdated >= OUTDATED_MS)
    if (stale.length) this.remove(stale)
  }

  private encode(ids: number[]): Uint8Array {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, ids.length)
    for (const id of ids) {
      encoding.writeVarUint(e, id)
      encoding.writeVarUint(e, this.meta.get(id)?.clock ?? 0)
      encoding.writeVarUint8Array(e, this.states.get(id) ?? NULL_STATE) // as writeVarString of the JSON
    }
    return encoding.toUint8Array(e)
  }

  private changed(ids: number[], target: Set<number>): void {
    if (ids.length === 0) return
    for (const id of ids) target.add(id)
    if (this.timer) return
    const every = this.flushEveryMs()
    this.pendingSince = performance.now()
    this.rideAfter = rideAfterMs(every)
    this.timer = setTimeout(this.flush, every)
  }

  /**
   * The pending flush, taken early for the caller to send with an edit once it has waited
   * `rideAfterMs` (null otherwise: it stays on its timer). Published to other nodes as on the timer.
   */
  takeDue(): Uint8Array | null {
    if (!this.timer || performance.now() - this.pendingSince < this.rideAfter) return null
    return this.take()
  }

  private flush = (): void => {
    const update = this.take()
    if (update) this.relay(update)
  }

  private take(): Uint8Array | null {
    clearTimeout(this.timer)
    this.timer = undefined
    const local = [...this.local]
    const all = [...new Set([...local, ...this.fromOtherNodes])]
    this.local.clear()
    this.fromOtherNodes.clear()
    if (all.length === 0) return null
    if (local.length) this.publish(this.encode(local))
    return this.encode(all)
  }
}
