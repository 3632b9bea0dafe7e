// The structs of an update, read without applying them: which are new, whether each can be
// integrated (no clock gap, every origin and parent known, no cycle), and where each new item
// would land. It mirrors Yjs's integrateStructs closely enough that an update it accepts never
// leaves pending structs behind (they would be retried on every later apply) and never reaches the
// library's unchecked paths, which throw in the middle of a transaction.
import * as Y from 'yjs'
import { Locator, type Key, type Parent } from './check-location.js'

/** A new item and where it lands. `gc`: Yjs integrates it as garbage, so it writes nothing. */
export type NewItem = {
  item: Y.Item
  /** Units at its start the document already holds. */
  offset: number
  gc: boolean
  parent: Parent | null
  sub: Key
  root: string
  path: Key[]
  /** For a new type: the container its children go into. */
  asParent: Parent | null
}

type Rec = { struct: Y.Item | Y.GC; end: number; isNew: boolean; placed: NewItem | null }
/** One client's structs in the update; `state` is how far they are integrated so far. */
type Queue = { client: number; docState: number; state: number; avail: number; recs: Rec[]; i: number }

export type StructScan =
  /** `onlyNew`: no struct the document holds, in whole or in part, and no skipped range. */
  | { ok: true; items: NewItem[]; newClients: Set<number>; hasNew: boolean; onlyNew: boolean; stateAfter: StateAfter }
  | { ok: false; close: 4400 | 4409; reason: string }

const malformed = (reason: string) => ({ ok: false, close: 4400, reason }) as const
const missing = (reason: string) => ({ ok: false, close: 4409, reason }) as const

/** A client's state once the update is applied (it is scanned without gaps). */
export class StateAfter {
  constructor(
    private readonly store: Y.Doc['store'],
    private readonly queues: ReadonlyMap<number, Queue>,
  ) {}
  of(client: number): number {
    return this.queues.get(client)?.avail ?? Y.getState(this.store, client)
  }
}

export function scanStructs(doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[], locator: Locator): StructScan {
  // A class rather than closures: this runs for every message, and per-call closures cost more
  // than the scan itself once the runtime names them.
  return new Scanner(doc.store, locator).scan(structs)
}

class Scanner {
  private readonly queues = new Map<number, Queue>()

  constructor(
    private readonly store: Y.Doc['store'],
    private readonly locator: Locator,
  ) {}

  scan(structs: readonly (Y.Item | Y.GC | Y.Skip)[]): StructScan {
    const newClients = new Set<number>()
    let hasNew = false
    let onlyNew = true
    // Group by client. Yjs keeps only the last section of a client that appears twice, so such an
    // update is not what it seems: refuse it rather than judge parts that would not be applied.
    let current: Queue | null = null
    for (const s of structs) {
      const client = s.id.client
      if (current === null || current.client !== client) {
        if (this.queues.has(client)) return malformed('a client appears twice')
        const docState = Y.getState(this.store, client)
        current = { client, docState, state: docState, avail: docState, recs: [], i: 0 }
        this.queues.set(client, current)
      }
      if (s instanceof Y.Skip) {
        onlyNew = false
        continue // never integrated; what follows it is a gap
      }
      // Zero-length structs share their clock with the next one and corrupt the struct store.
      if (!(s.length > 0)) return malformed('empty struct')
      const start = s.id.clock
      if (start > current.avail) return missing('clock gap')
      const end = start + s.length
      const isNew = end > current.docState
      if (start < current.docState) onlyNew = false
      if (isNew) {
        hasNew = true
        newClients.add(client)
      }
      if (end > current.avail) current.avail = end
      current.recs.push({ struct: s, end, isNew, placed: null })
    }
    const items: NewItem[] = []
    const failed = this.integrate(items)
    if (failed) return failed
    return { ok: true, items, newClients, hasNew, onlyNew, stateAfter: new StateAfter(this.store, this.queues) }
  }

  /**
   * Integrates in dependency order, as Yjs would: a struct waits for the heads of the clients it
   * depends on; each struct is visited a bounded number of times, so hostile orders stay linear.
   */
  private integrate(items: NewItem[]): { ok: false; close: 4409; reason: string } | null {
    const onStack = new Set<number>()
    for (const q of this.queues.values()) {
      while (q.i < q.recs.length) {
        const stack: Queue[] = [q]
        onStack.add(q.client)
        while (stack.length > 0) {
          const top = stack[stack.length - 1]!
          const rec = top.recs[top.i]!
          const wait = this.waitsFor(rec.struct)
          if (wait === -1) return missing('a struct depends on itself or its future')
          if (wait === null) {
            if (rec.isNew && rec.struct instanceof Y.Item) {
              const placed = place(rec.struct, top.docState, this, this.locator, this.store)
              if (placed === null) return missing('a partly held struct does not match')
              rec.placed = placed
              items.push(placed)
            }
            if (rec.end > top.state) top.state = rec.end
            top.i++
            stack.pop()
            onStack.delete(top.client)
            continue
          }
          const dep = this.queues.get(wait)
          if (!dep || dep.i >= dep.recs.length || onStack.has(wait)) return missing('unknown dependency')
          stack.push(dep)
          onStack.add(wait)
        }
      }
    }
    return null
  }

  /** The client a struct still waits for, null when it can be integrated, -1 when it never can. */
  private waitsFor(s: Y.Item | Y.GC): number | null {
    if (!(s instanceof Y.Item)) return null
    const w = this.waitsForId(s, s.origin)
    if (w !== null) return w
    const r = this.waitsForId(s, s.rightOrigin)
    if (r !== null) return r
    return s.parent instanceof Y.ID ? this.waitsForId(s, s.parent) : null
  }

  private waitsForId(s: Y.Item, dep: Y.ID | null): number | null {
    if (dep === null) return null
    if (dep.client === s.id.client) {
      // Yjs does not check these: one at or after the struct itself throws inside applyUpdate.
      return dep.clock >= s.id.clock ? -1 : null
    }
    const state = this.queues.get(dep.client)?.state ?? Y.getState(this.store, dep.client)
    return dep.clock >= state ? dep.client : null
  }

  /** The struct holding `id`: the document's when it has it, else the update's (integrated). */
  lookup(id: Y.ID): Y.Item | Y.GC | NewItem | null {
    const q = this.queues.get(id.client)
    const docState = q ? q.docState : Y.getState(this.store, id.client)
    if (id.clock < docState) {
      const held = this.store.clients.get(id.client)!
      return held[Y.findIndexSS(held, id.clock)]!
    }
    if (!q) return null
    let lo = 0
    let hi = q.recs.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const r = q.recs[mid]!
      if (id.clock < r.struct.id.clock) hi = mid - 1
      else if (id.clock >= r.end) lo = mid + 1
      else return r.struct instanceof Y.GC ? r.struct : r.placed
    }
    return null
  }
}

/** Where Yjs's getMissing and integrate would put a new item (its dependencies are all known). */
function place(
  item: Y.Item,
  docState: number,
  structs: { lookup(id: Y.ID): Y.Item | Y.GC | NewItem | null },
  locator: Locator,
  store: Y.Doc['store'],
): NewItem | null {
  const offset = Math.max(0, docState - item.id.clock)
  const left = item.origin ? structs.lookup(item.origin) : null
  const right = item.rightOrigin ? structs.lookup(item.rightOrigin) : null
  // Unreachable after the dependency walk; refusing keeps a wrong guess from reading as garbage.
  if ((item.origin && left === null) || (item.rightOrigin && right === null)) return null
  let parent: Parent | null = null
  let sub: Key = null
  if (isGarbage(left) || isGarbage(right)) {
    parent = null
  } else if (left || right) {
    // An item with an origin carries no parent of its own: it inherits its neighbour's.
    const n = (left ?? right)!
    if (n instanceof Y.Item) {
      parent = n.parent instanceof Y.AbstractType ? locator.ofType(n.parent) : null
      sub = n.parentSub
    } else if (!(n instanceof Y.GC)) {
      parent = n.parent
      sub = n.sub
    }
  } else if (typeof item.parent === 'string') {
    parent = locator.ofRoot(item.parent)
    sub = item.parentSub
  } else if (item.parent instanceof Y.ID) {
    const p = structs.lookup(item.parent)
    if (p === null) return null
    if (p instanceof Y.Item) {
      parent = p.content instanceof Y.ContentType ? locator.ofType(p.content.type) : null
    } else if (!(p instanceof Y.GC)) {
      parent = p.gc ? null : p.asParent
    }
    sub = item.parentSub
  }
  const gc = parent === null
  if (gc) sub = null
  if (offset > 0 && !gc) {
    // Yjs appends the new part to the held part's list whatever parent the struct claims.
    const held = store.clients.get(item.id.client)!
    const prefix = held[Y.findIndexSS(held, docState - 1)]
    if (!(prefix instanceof Y.Item) || prefix.parent !== parent!.existing || prefix.parentSub !== sub) return null
  }
  const root = parent ? parent.loc.root : ''
  const path = parent ? [...parent.loc.path, sub] : []
  const placed: NewItem = { item, offset, gc, parent, sub, root, path, asParent: null }
  if (!gc && item.content instanceof Y.ContentType) placed.asParent = { id: placed, loc: { root, path }, existing: null }
  return placed
}

function isGarbage(x: Y.Item | Y.GC | NewItem | null): boolean {
  if (x === null || x instanceof Y.Item) return false
  return x instanceof Y.GC || x.gc
}
