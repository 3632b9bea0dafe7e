// What each identity may write where, as "slots": for a location (root and keys below it) the
// kind of content allowed there and the bound it counts against. The layouts are SPEC §5's board
// and notebook (shared/layout.ts); a location without a slot may not be written at all.
import * as Y from 'yjs'
import { isDeckCard } from '../../shared/deck.js'
import { BOARD, CUSTOM_CARD_PREFIX, MOMENT, NOTEBOOK, PERSON, PILES, PURPOSE_SOURCE, STAMPS, VALUE, VISION } from '../../shared/layout.js'
import { isValidId, LIMITS } from '../../shared/limits.js'
import type { RoomName } from '../../shared/protocol.js'
import { withinLimit } from '../../shared/text.js'
import type { Identity } from './identity.js'
import type { Key } from './check-location.js'

/** The container a slot's entries count against: at most `max` live keys or elements. */
export type Counter = { kind: 'map' | 'array'; max: number }

export type Slot =
  /** Anything (the facilitator's people entries, which the server also writes). */
  | { kind: 'any' }
  /** A new type of exactly this class (Y.Text is not Y.XmlText). */
  | { kind: 'type'; ctor: typeof Y.Text | typeof Y.Map; counter?: Counter }
  /** Characters of a text with this limit. */
  | { kind: 'chars'; limit: number }
  /** One plain value (a map entry written with set). */
  | { kind: 'value'; valid: (v: unknown) => boolean; counter?: Counter }

export type Rules = {
  /** The slot for a new item at (root, path), or null where this identity may not write. */
  slot(root: string, path: readonly Key[]): Slot | null
  /** Whether this identity may delete an item at (root, path). */
  mayDelete(root: string, path: readonly Key[]): boolean
}

const TEXT: Slot = { kind: 'type', ctor: Y.Text }
const MAP: Slot = { kind: 'type', ctor: Y.Map }
const chars = (limit: number): Slot => ({ kind: 'chars', limit })
const value = (valid: (v: unknown) => boolean, counter?: Counter): Slot => ({ kind: 'value', valid, counter })

function isPlain(v: unknown, keys: readonly string[]): v is Record<string, unknown> {
  // readAny builds objects with `obj[key] = …`: a key `__proto__` would swap the prototype.
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false
  const own = Object.keys(v)
  return own.length === keys.length && keys.every((k) => Object.hasOwn(v, k))
}

const isPos = (v: unknown) => isPlain(v, ['x', 'y']) && Number.isFinite(v.x) && Number.isFinite(v.y)
const isRank = (v: unknown) => v === null || v === 1 || v === 2 || v === 3
const isStamp = (v: unknown) => (STAMPS as readonly unknown[]).includes(v)
const isPile = (v: unknown) => (PILES as readonly unknown[]).includes(v)
const isLink = (v: unknown) =>
  isPlain(v, ['from', 'to', 'reason']) &&
  typeof v.from === 'string' &&
  (v.from === PURPOSE_SOURCE || isValidId(v.from)) &&
  typeof v.to === 'string' &&
  isValidId(v.to) &&
  typeof v.reason === 'string' &&
  withinLimit(v.reason, LIMITS.reason)

const PERSON_TEXTS: Record<string, number> = {
  [PERSON.checkin]: LIMITS.checkin,
  [PERSON.purpose]: LIMITS.purpose,
  [PERSON.commitment]: LIMITS.commitment,
  [PERSON.autonomy]: LIMITS.autonomy,
}
const PERSON_MAPS = new Set<string>([PERSON.values, PERSON.links, PERSON.reactions])

/** Below `people.<me>`: `rest` is the path under the entry (field, then keys). */
function personSlot(rest: readonly Key[], me: string): Slot | null {
  const [field, key, inner, leaf] = rest
  if (field == null) return null
  const textLimit = PERSON_TEXTS[field]
  if (textLimit !== undefined) {
    if (rest.length === 1) return TEXT
    return rest.length === 2 && key === null ? chars(textLimit) : null
  }
  if (!PERSON_MAPS.has(field)) return null
  if (rest.length === 1) return MAP
  if (typeof key !== 'string' || !isValidId(key)) return null
  if (field === PERSON.links) return rest.length === 2 ? value(isLink, { kind: 'map', max: LIMITS.linksMax }) : null
  if (field === PERSON.reactions) return rest.length === 2 && key !== me ? value(isStamp) : null
  // values.<id>: a map of text, rank and pos
  if (rest.length === 2) return { kind: 'type', ctor: Y.Map, counter: { kind: 'map', max: LIMITS.valuesMax } }
  if (rest.length === 3) {
    if (inner === VALUE.text) return TEXT
    if (inner === VALUE.rank) return value(isRank)
    if (inner === VALUE.pos) return value(isPos)
    return null
  }
  return rest.length === 4 && inner === VALUE.text && leaf === null ? chars(LIMITS.valueText) : null
}

function visionSlot(path: readonly Key[]): Slot | null {
  const [id, field, leaf] = path
  if (typeof id !== 'string' || !isValidId(id)) return null
  if (path.length === 1) return { kind: 'type', ctor: Y.Map, counter: { kind: 'map', max: LIMITS.visionMax } }
  const limit = field === VISION.title ? LIMITS.title : field === VISION.body ? LIMITS.visionBody : null
  if (limit !== null) {
    if (path.length === 2) return TEXT
    return path.length === 3 && leaf === null ? chars(limit) : null
  }
  return field === VISION.pos && path.length === 2 ? value(isPos) : null
}

const isCardId = (k: string) => isDeckCard(k) || (k.startsWith(CUSTOM_CARD_PREFIX) && isValidId(k))
const isLevel = (v: unknown) => Number.isInteger(v) && (v as number) >= LIMITS.levelMin && (v as number) <= LIMITS.levelMax

function notebookSlot(root: string, path: readonly Key[]): Slot | null {
  const [first, second, third] = path
  if (root === NOTEBOOK.story) {
    if (first !== null || path.length === 0) return null
    if (path.length === 1) return { kind: 'type', ctor: Y.Map, counter: { kind: 'array', max: LIMITS.storyMax } }
    if (path.length === 2) {
      if (second === MOMENT.id) return value((v) => typeof v === 'string' && isValidId(v))
      if (second === MOMENT.when) return value((v) => typeof v === 'string' && withinLimit(v, LIMITS.storyWhen))
      if (second === MOMENT.level) return value(isLevel)
      if (second === MOMENT.text) return TEXT
      return null
    }
    return path.length === 3 && second === MOMENT.text && third === null ? chars(LIMITS.storyText) : null
  }
  if (typeof first !== 'string') return null
  if (root === NOTEBOOK.cards) {
    return path.length === 1 && isCardId(first) ? value(isPile, { kind: 'map', max: LIMITS.cardsMax }) : null
  }
  if (root === NOTEBOOK.drafts) {
    if (!isValidId(first)) return null
    if (path.length === 1) return { kind: 'type', ctor: Y.Text, counter: { kind: 'map', max: LIMITS.draftsMax } }
    return path.length === 2 && second === null ? chars(LIMITS.draft) : null
  }
  return null
}

export function rulesFor(room: RoomName, who: Identity): Rules {
  if (room.kind === 'notebook') {
    // Only the owner reaches here; everything in the notebook is theirs to delete.
    return { slot: notebookSlot, mayDelete: () => true }
  }
  if (who.role === 'facilitator') {
    return {
      slot: (root, path) => (root === BOARD.vision ? visionSlot(path) : root === BOARD.people ? { kind: 'any' } : null),
      mayDelete: () => true,
    }
  }
  const me = who.participantId
  // Strictly below people.<me>: the entry itself is the server's.
  const mine = (root: string, path: readonly Key[]) => root === BOARD.people && path.length >= 2 && path[0] === me
  return {
    slot: (root, path) => (mine(root, path) ? personSlot(path.slice(1), me) : null),
    mayDelete: mine,
  }
}
