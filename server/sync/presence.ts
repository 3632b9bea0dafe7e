// A room's awareness (who is here, cursors). Cursors move many times a second in every room, so
// each client's latest state is relayed once per flush, in one message for the whole room,
// instead of every change to every connection; the flush interval follows the process's load
// (pace.ts). A change that has waited PRESENCE_MIN_MS also leaves with the next edit relayed
// (`takeDue`), in the same write to each connection, instead of costing writes of its own: on a
// busy node, whose timer is long, presence mostly rides with the edits.
import * as awarenessProtocol from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { PRESENCE_MIN_MS } from './pace.js'

const FROM_BUS = Symbol('bus')

export class Presence {
  readonly awareness: awarenessProtocol.Awareness
  private local = new Set<number>()
  private fromOtherNodes = new Set<number>()
  private timer: NodeJS.Timeout | undefined
  /** When the oldest change not yet relayed arrived (performance.now()). */
  private pendingSince = 0

  constructor(
    doc: Y.Doc,
    /** Sends an awareness update to every connection of the room. */
    private relay: (update: Uint8Array) => void,
    /** Sends an awareness update that came from this node to the other nodes. */
    private publish: (update: Uint8Array) => void,
    /** Awareness reaches others at most this often (ms), read at every change. */
    private flushEveryMs: () => number,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc)
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onUpdate)
  }

  /** Every state there is, for a connection that just arrived (null when nobody is here). */
  all(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()]
    return ids.length ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : null
  }

  /** A filtered update from one of this node's connections. */
  apply(update: Uint8Array, origin: unknown): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, origin)
  }

  applyFromBus(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, FROM_BUS)
  }

  /** A connection left: its clients are gone. */
  remove(clientIds: number[], origin: unknown): void {
    if (clientIds.length) awarenessProtocol.removeAwarenessStates(this.awareness, clientIds, origin)
  }

  destroy(): void {
    clearTimeout(this.timer)
    this.awareness.off('update', this.onUpdate)
    this.awareness.destroy()
  }

  private onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const target = origin === FROM_BUS ? this.fromOtherNodes : this.local
    for (const ids of [added, updated, removed]) for (const id of ids) target.add(id)
    if (this.timer) return
    this.pendingSince = performance.now()
    this.timer = setTimeout(this.flush, this.flushEveryMs())
  }

  /**
   * The pending flush, taken early for the caller to send with an edit once it has waited
   * PRESENCE_MIN_MS (null otherwise: it stays on its timer). Published to other nodes as on the timer.
   */
  takeDue(): Uint8Array | null {
    if (!this.timer || performance.now() - this.pendingSince < PRESENCE_MIN_MS) return null
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
    if (local.length) this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, local))
    return awarenessProtocol.encodeAwarenessUpdate(this.awareness, all)
  }
}
