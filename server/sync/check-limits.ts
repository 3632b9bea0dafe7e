// Bounds that depend on what the document holds after the update: text lengths and the number of
// entries of a container. They are computed from the document plus the update's content, without
// applying it (applying the whole board to a copy costs ms; a check must cost µs):
// - a text first by UTF-16 units (existing length + inserted, ignoring deletions: an upper bound);
//   past that, by code points of the text as it will be (existing live characters minus deletions,
//   plus inserted). Trimming removes white space only at the ends, and only the order of inserts
//   (which is Yjs's to decide) says what lands there; but every trimmed character is leading or
//   trailing white space of its own piece (the existing text, or an insert), so the text is too
//   long for certain when it still is after removing all such runs. Only between these bounds is
//   the update applied to a scratch copy to read the final string: a text that is over its limit
//   solely by white space at the ends of its pieces. Kasane's own client clamps texts untrimmed,
//   so it never gets there;
// - a map by live keys ∪ written keys − keys whose live value is deleted (an upper bound: a write
//   that loses to a concurrent one still counts), an array by live length + inserted − deleted.
// tests/unit/permissions-fuzz.test.ts prints the mean cost of a check and of a scratch copy.
import * as Y from 'yjs'
import { codePoints, withinLimit } from '../../shared/text.js'
import type { Counter } from './check-layout.js'
import type { AnyType, Parent } from './check-location.js'
import type { NewItem } from './check-structs.js'

type TextTally = { parent: Parent; limit: number; units: number; added: string[]; deleted: Map<Y.Item, [number, number][]> }
type CountTally = { parent: Parent; counter: Counter; added: Set<string>; removed: Set<string>; addN: number; delN: number }

/** Code points that trimming could remove from a piece: its leading and trailing white space. */
function trimmable(s: string): number {
  const trimmed = s.trim()
  if (trimmed.length === 0) return codePoints(s)
  return codePoints(s) - codePoints(trimmed)
}

export class Tally {
  private readonly texts = new Map<object, TextTally>()
  private readonly counts = new Map<object, CountTally>()

  addChars(parent: Parent, limit: number, s: string): void {
    const t = this.text(parent, limit)
    t.units += s.length
    t.added.push(s)
  }

  /** Clocks [from, to) of an existing live item of the text are deleted. */
  removeChars(parent: Parent, limit: number, item: Y.Item, from: number, to: number): void {
    const t = this.text(parent, limit)
    const ranges = t.deleted.get(item) ?? []
    ranges.push([from, to])
    t.deleted.set(item, ranges)
  }

  addEntry(parent: Parent, counter: Counter, key: string | null, n: number): void {
    const c = this.count(parent, counter)
    if (counter.kind === 'map' && key !== null) c.added.add(key)
    else c.addN += n
  }

  removeEntry(parent: Parent, counter: Counter, key: string | null, n: number): void {
    const c = this.count(parent, counter)
    if (counter.kind === 'map' && key !== null) c.removed.add(key)
    else c.delN += n
  }

  /** null when every bound holds, else the reason. */
  verify(doc: Y.Doc, update: Uint8Array, items: readonly NewItem[]): string | null {
    for (const c of this.counts.values()) {
      if (countAfter(c) > c.counter.max) return `more than ${c.counter.max} entries`
    }
    const unsure: TextTally[] = []
    for (const t of this.texts.values()) {
      const existing = t.parent.existing
      if ((existing?._length ?? 0) + t.units <= t.limit) continue
      const pieces = existing ? [remaining(existing, t.deleted), ...t.added] : t.added
      let cp = 0
      let units = 0
      let trim = 0
      for (const p of pieces) {
        cp += codePoints(p)
        units += p.length
        trim += trimmable(p)
      }
      if (cp <= t.limit) continue
      // withinLimit's bound on padding, on the exact final length.
      if (units > t.limit * 4 + 64 || cp - trim > t.limit) return `text longer than ${t.limit}`
      unsure.push(t)
    }
    if (unsure.length === 0) return null
    let after: Y.Doc
    try {
      after = new Y.Doc({ gc: doc.gc })
      Y.applyUpdate(after, Y.encodeStateAsUpdate(doc))
      Y.applyUpdate(after, update)
    } catch {
      return 'update does not apply'
    }
    for (const t of unsure) {
      const text = counterpart(after, t.parent, items)
      if (!(text instanceof Y.Text) || !withinLimit(text.toString(), t.limit)) return `text longer than ${t.limit}`
    }
    return null
  }

  private text(parent: Parent, limit: number): TextTally {
    let t = this.texts.get(parent.id)
    if (!t) {
      t = { parent, limit, units: 0, added: [], deleted: new Map() }
      this.texts.set(parent.id, t)
    }
    return t
  }

  private count(parent: Parent, counter: Counter): CountTally {
    let c = this.counts.get(parent.id)
    if (!c) {
      c = { parent, counter, added: new Set(), removed: new Set(), addN: 0, delN: 0 }
      this.counts.set(parent.id, c)
    }
    return c
  }
}

function countAfter(c: CountTally): number {
  const type = c.parent.existing
  if (c.counter.kind === 'array') return (type?._length ?? 0) + c.addN - c.delN
  let n = 0
  if (type) for (const item of type._map.values()) if (!item.deleted) n++
  for (const k of c.added) if (!isLive(type, k)) n++
  for (const k of c.removed) if (!c.added.has(k) && isLive(type, k)) n--
  return n
}

function isLive(type: AnyType | null, key: string): boolean {
  const item = type?._map.get(key)
  return item !== undefined && !item.deleted
}

/** The existing text in order without what the update deletes (embeds count as one character). */
function remaining(type: AnyType, deleted: Map<Y.Item, [number, number][]>): string {
  let out = ''
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    const s = item.content instanceof Y.ContentString ? item.content.str : '\uFFFC'.repeat(item.length)
    const cuts = deleted.get(item)
    if (!cuts) {
      out += s
      continue
    }
    const start = item.id.clock
    let at = 0
    for (const [from, to] of [...cuts].sort((a, b) => a[0] - b[0])) {
      if (from - start > at) out += s.slice(at, from - start)
      at = Math.max(at, to - start)
    }
    out += s.slice(at)
  }
  return out
}

/** The type in the scratch document that corresponds to `parent`. */
function counterpart(after: Y.Doc, parent: Parent, items: readonly NewItem[]): unknown {
  const own = parent.existing?._item ?? (items.find((i) => i === parent.id)?.item ?? null)
  if (own === null) return undefined
  const held = after.store.clients.get(own.id.client)
  if (!held) return undefined
  const struct = held[Y.findIndexSS(held, own.id.clock)]
  return struct instanceof Y.Item && struct.content instanceof Y.ContentType ? struct.content.type : undefined
}
