// The write check of SPEC §5: a pure function of (document, update, identity). It decides before
// anything is applied; the room applies, stores and relays only what it accepts. It reads the
// document (and at most a scratch copy of it, see check-limits.ts) and never changes it.
//
// Order: AUTH (whose notebook) → decode (4400) → structs: gaps, dependencies (4409), client ids
// (4403) → deletions beyond the known state (4409) → nothing new: accepted as is → lock → every new
// item and deletion against the layout (4403) → lengths and counts (4403).
//
// Cost, measured here on a board of 100 people (65 KiB) on two busy shared cores: a keystroke's
// check 5–15 µs against about 250 µs for applying it; decoding alone is 2–3 µs. Lengths are
// therefore computed from the content rather than by applying to a copy of the board (3–20 ms
// each), which is kept for the one case content cannot decide (check-limits.ts).
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import type { RoomName } from '../../shared/protocol.js'
import { rulesFor, type Rules } from './check-layout.js'
import { scanDeletes, type Deletion } from './check-deletes.js'
import { Tally } from './check-limits.js'
import { Locator } from './check-location.js'
import { scanStructs, type NewItem } from './check-structs.js'
import { ownerKey, type Identity, type WritePolicy } from './identity.js'

export type CheckInput = {
  doc: Y.Doc
  room: RoomName
  update: Uint8Array
  who: Identity
  policy: WritePolicy
  /** Yjs client id → owner key (participant id or FACILITATOR_OWNER / SERVER_OWNER). */
  owners: ReadonlyMap<number, string>
}

export type CheckResult =
  /** `asSent`: the update holds only what is new, and nothing after its deletions (it may be stored and relayed as received). */
  | { ok: true; changes: boolean; newClients: number[]; asSent: boolean }
  | { ok: false; close: 4400 | 4403 | 4409 | 4413; reason: string }

// Reasons travel as WebSocket close reasons (at most 123 bytes) and into logs: fixed words only,
// never a key or text from the update.
const forbidden = (reason: string) => ({ ok: false, close: 4403, reason }) as const

/** Yjs's V1 update decoder (what `Y.decodeUpdate` uses), noting the bytes it read to learn where the update ends. */
class NotingDecoderV1 extends Y.UpdateDecoderV1 {
  static last: decoding.Decoder | null = null
  constructor(d: decoding.Decoder) {
    super(d)
    NotingDecoderV1.last = d
  }
}

export function checkUpdate(input: CheckInput): CheckResult {
  const { room, who } = input
  // AUTH: a notebook is its owner's alone; the facilitator never writes there.
  if (room.kind === 'notebook' && (who.role !== 'participant' || who.participantId !== room.participantId)) {
    return forbidden('not your notebook')
  }
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    // V1 only: the V2 decoder can be kept busy for seconds by a few crafted bytes.
    NotingDecoderV1.last = null
    decoded = Y.decodeUpdateV2(input.update, NotingDecoderV1)
  } catch {
    return { ok: false, close: 4400, reason: 'malformed update' }
  }
  const read = NotingDecoderV1.last as decoding.Decoder | null
  const whole = read !== null && read.pos === input.update.length
  try {
    return judge(input, decoded, whole)
  } catch {
    // Hostile input is normal input: whatever slipped past the checks above is refused, not thrown.
    return { ok: false, close: 4400, reason: 'malformed update' }
  }
}

function judge(input: CheckInput, decoded: ReturnType<typeof Y.decodeUpdate>, whole: boolean): CheckResult {
  const { doc, room, who, policy, owners } = input
  const locator = new Locator(doc)
  const scan = scanStructs(doc, decoded.structs, locator)
  if (!scan.ok) return scan

  const me = ownerKey(who)
  const newClients: number[] = []
  for (const client of scan.newClients) {
    const owner = owners.get(client)
    if (owner === undefined) newClients.push(client)
    else if (owner !== me) return forbidden('client id of another identity')
  }

  const dels = scanDeletes(doc, decoded.ds, scan.stateAfter)
  if (!dels.ok) return dels
  if (!scan.hasNew && dels.deletions.length === 0) return { ok: true, changes: false, newClients, asSent: false }

  if (room.kind === 'board' && who.role === 'participant' && (policy.locked || policy.ended)) {
    return forbidden(policy.ended ? 'the workshop has ended' : 'the board is locked')
  }

  const rules = rulesFor(room, who)
  const tally = new Tally()
  for (const n of scan.items) {
    const why = judgeInsert(n, rules, tally)
    if (why) return forbidden(why)
  }
  for (const d of dels.deletions) {
    const why = judgeDelete(d, rules, tally, locator)
    if (why) return forbidden(why)
  }
  const over = tally.verify(doc, input.update, scan.items)
  if (over) return forbidden(over)
  return { ok: true, changes: true, newClients, asSent: whole && scan.onlyNew }
}

function judgeInsert(n: NewItem, rules: Rules, tally: Tally): string | null {
  if (n.gc) return null // integrated as garbage: writes nothing anywhere
  const content = n.item.content
  if (content instanceof Y.ContentDoc) return 'subdocuments are not allowed'
  const slot = rules.slot(n.root, n.path)
  if (!slot) return 'write outside what this connection may write'
  if (slot.kind === 'any') return null
  // Content already deleted (an overwritten or removed entry) holds nothing; where it lands it
  // deletes at most what this identity may delete there anyway.
  if (content instanceof Y.ContentDeleted) return null
  const parent = n.parent!
  switch (slot.kind) {
    case 'type':
      if (!(content instanceof Y.ContentType) || content.type.constructor !== slot.ctor) return 'wrong type in the layout'
      if (slot.counter) tally.addEntry(parent, slot.counter, n.sub, 1)
      return null
    case 'chars':
      if (!(content instanceof Y.ContentString)) return 'only plain text here'
      tally.addChars(parent, slot.limit, content.str.slice(n.offset))
      return null
    case 'value':
      if (!(content instanceof Y.ContentAny) || content.arr.length !== 1 || !slot.valid(content.arr[0])) return 'invalid value in the layout'
      if (slot.counter) tally.addEntry(parent, slot.counter, n.sub, 1)
      return null
  }
}

function judgeDelete(d: Deletion, rules: Rules, tally: Tally, locator: Locator): string | null {
  const item = d.item
  if (!(item.parent instanceof Y.AbstractType)) return 'deletion outside the document'
  const parent = locator.ofType(item.parent)
  const path = [...parent.loc.path, item.parentSub]
  if (!rules.mayDelete(parent.loc.root, path)) return 'deletion outside what this connection may write'
  const slot = rules.slot(parent.loc.root, path)
  if (slot?.kind === 'chars' && item.content instanceof Y.ContentString) {
    tally.removeChars(parent, slot.limit, item, d.from, d.to)
  } else if ((slot?.kind === 'type' || slot?.kind === 'value') && slot.counter) {
    if (slot.counter.kind === 'array') {
      if (item.countable) tally.removeEntry(parent, slot.counter, null, d.to - d.from)
    } else if (item.parentSub !== null && parent.existing?._map.get(item.parentSub) === item) {
      tally.removeEntry(parent, slot.counter, item.parentSub, 1)
    }
  }
  return null
}
