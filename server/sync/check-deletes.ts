// The delete set of an update, resolved to the live items of the document it would delete.
// Ranges come from the client and may claim 2^31 clocks: they are sorted and merged, and only the
// structs the document actually holds in them are visited, each at most a couple of times.
import * as Y from 'yjs'

/** A live item of the document and the clocks [from, to) of it the update deletes. */
export type Deletion = { item: Y.Item; from: number; to: number }

export type DeleteScan = { ok: true; deletions: Deletion[] } | { ok: false; close: 4409; reason: string }

type Range = { clock: number; len: number }

export function scanDeletes(doc: Y.Doc, ds: { clients: Map<number, Range[]> }, stateAfter: { of(client: number): number }): DeleteScan {
  const deletions: Deletion[] = []
  for (const [client, ranges] of ds.clients) {
    if (ranges.length === 0) continue
    const after = stateAfter.of(client)
    const docState = Y.getState(doc.store, client)
    const held = doc.store.clients.get(client)
    for (const [from, to] of merged(ranges)) {
      // Yjs keeps deletions of clocks it does not have as a pending delete set, retried on every
      // apply and carried into every snapshot: it would delete whatever later arrives there.
      if (from >= after || to > after) return { ok: false, close: 4409, reason: 'deletion beyond the known state' }
      const end = Math.min(to, docState)
      // Clocks at or past docState are the update's own new structs, judged where they are inserted.
      if (!held || from >= end) continue
      for (let i = Y.findIndexSS(held, from); i < held.length; i++) {
        const s = held[i]!
        if (s.id.clock >= end) break
        if (s instanceof Y.GC || s.deleted) continue // changes nothing
        deletions.push({ item: s, from: Math.max(from, s.id.clock), to: Math.min(end, s.id.clock + s.length) })
      }
    }
  }
  return { ok: true, deletions }
}

function merged(ranges: Range[]): [number, number][] {
  const sorted = ranges.map((r) => [r.clock, r.clock + r.len] as [number, number]).sort((a, b) => a[0] - b[0])
  const out: [number, number][] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else out.push(r)
  }
  return out
}
