// Several nodes append to one document, each relaying to the others after storing. A node that
// compacts may not yet hold an update another node stored just before (it is still on the bus),
// so "every update up to uptoSeq" is not safe to drop: compaction drops only the updates its
// snapshot provably contains, and never replaces a snapshot with one that lacks part of it.
// These are stored updates, all of them checked and applied by a node before: V1, decodable.
import * as Y from 'yjs'

export type Coverage = { sv: Map<number, number>; ds: Map<number, [number, number][]> }

export function coverageOf(update: Uint8Array): Coverage {
  const decoded = Y.decodeUpdate(update)
  const sv = new Map<number, number>()
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue
    const end = s.id.clock + s.length
    if (end > (sv.get(s.id.client) ?? 0)) sv.set(s.id.client, end)
  }
  const ds = new Map<number, [number, number][]>()
  for (const [client, items] of decoded.ds.clients) {
    const merged: [number, number][] = []
    for (const [a, b] of items.map((i): [number, number] => [i.clock, i.clock + i.len]).sort((x, y) => x[0] - y[0])) {
      const last = merged[merged.length - 1]
      if (last && a <= last[1]) last[1] = Math.max(last[1], b)
      else merged.push([a, b])
    }
    ds.set(client, merged)
  }
  return { sv, ds }
}

/** Whether `outer`, a whole document state (each client's structs from clock 0), holds `inner`. */
export function contains(outer: Coverage, inner: Coverage): boolean {
  for (const [client, end] of inner.sv) if (end > (outer.sv.get(client) ?? 0)) return false
  for (const [client, ranges] of inner.ds) {
    const have = outer.ds.get(client) ?? []
    for (const [a, b] of ranges) {
      let lo = 0
      let hi = have.length - 1
      let at = -1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (have[mid]![0] <= a) (at = mid), (lo = mid + 1)
        else hi = mid - 1
      }
      if (at < 0 || have[at]![1] < b) return false
    }
  }
  return true
}

function mergeStates(a: Uint8Array, b: Uint8Array): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, a)
  Y.applyUpdate(doc, b)
  const merged = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return merged
}

/**
 * The snapshot to store in place of `before` (the stored one, if any): `snapshot` itself when it
 * already holds `before`, else both merged. `fresh` is the coverage of `snapshot`.
 */
export function successor(snapshot: Uint8Array, fresh: Coverage, before: Uint8Array | null): { state: Uint8Array; covers: Coverage } {
  if (!before || contains(fresh, coverageOf(before))) return { state: snapshot, covers: fresh }
  const state = mergeStates(before, snapshot)
  return { state, covers: coverageOf(state) }
}
