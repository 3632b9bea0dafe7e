// Bounds that depend on what the document holds after the update: text lengths and the number of
// entries of a container. They are computed from the document plus the update's content, without
// applying it:
// - a text first by UTF-16 units (existing length + inserted, ignoring deletions: an upper bound),
//   then by code points counted per item (order does not matter for a count), and only when the
//   count exceeds the limit solely by white space, which trimming may remove at the ends only, is
//   the update applied to a scratch copy to read the final string (Kasane's own client clamps
//   texts untrimmed, so it never gets there);
// - a map by live keys ∪ written keys − keys whose live value is deleted (an upper bound: a write
//   that loses to a concurrent one still counts), an array by live length + inserted − deleted.
// Measured on a board of 100 people (tests/unit/permissions-fuzz.test.ts prints it): a check is a
// few µs; the scratch copy costs about as much as encoding and applying the whole board (ms).
import * as Y from 'yjs'
import { codePoints, withinLimit } from '../../shared/text.js'
import type { Counter } from './check-layout.js'
import type { AnyType, Parent } from './check-location.js'
import type { NewItem } from './check-structs.js'

type TextTally = { parent: Parent; limit: number; units: number; cp: number; solid: number; delUnits: number; delCp: number; delSolid: number }
type CountTally = { parent: Parent; counter: Counter; added: Set<string>; removed: Set<string>; addN: number; delN: number }

const solidCount = (s: string) => codePoints(s.replace(/\s+/gu, ''))

export class Tally {
  private readonly texts = new Map<object, TextTally>()
  private readonly counts = new Map<object, CountTally>()

  addChars(parent: Parent, limit: number, s: string): void {
    const t = this.text(parent, limit)
    t.units += s.length
    t.cp += codePoints(s)
    t.solid += solidCount(s)
  }

  removeChars(parent: Parent, limit: number, s: string): void {
    const t = this.text(parent, limit)
    t.delUnits += s.length
    t.delCp += codePoints(s)
    t.delSolid += solidCount(s)
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

  /** null when every bound holds, else the reason. `scratch` yields the document after the update. */
  verify(scratch: () => Y.Doc, items: readonly NewItem[]): string | null {
    for (const c of this.counts.values()) {
      if (countAfter(c) > c.counter.max) return `more than ${c.counter.max} entries`
    }
    const unsure: TextTally[] = []
    for (const t of this.texts.values()) {
      const existing = t.parent.existing
      if ((existing?._length ?? 0) + t.units <= t.limit) continue
      const before = existing ? measure(existing) : { units: 0, cp: 0, solid: 0 }
      const units = before.units - t.delUnits + t.units
      if (before.cp - t.delCp + t.cp <= t.limit) continue
      if (before.solid - t.delSolid + t.solid > t.limit || units > t.limit * 4 + 64) return `text longer than ${t.limit}`
      unsure.push(t)
    }
    if (unsure.length === 0) return null
    let after: Y.Doc
    try {
      after = scratch()
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
      t = { parent, limit, units: 0, cp: 0, solid: 0, delUnits: 0, delCp: 0, delSolid: 0 }
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
  const live = (key: string) => {
    const item = type?._map.get(key)
    return item !== undefined && !item.deleted
  }
  let n = 0
  if (type) for (const item of type._map.values()) if (!item.deleted) n++
  for (const k of c.added) if (!live(k)) n++
  for (const k of c.removed) if (!c.added.has(k) && live(k)) n--
  return n
}

/** Live length of an existing text, in UTF-16 units, code points and non-white-space code points. */
function measure(type: AnyType): { units: number; cp: number; solid: number } {
  let units = 0
  let cp = 0
  let solid = 0
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    if (item.content instanceof Y.ContentString) {
      units += item.content.str.length
      cp += codePoints(item.content.str)
      solid += solidCount(item.content.str)
    } else {
      units += item.length
      cp += item.length
      solid += item.length
    }
  }
  return { units, cp, solid }
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
