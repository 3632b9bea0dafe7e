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

const ANY: Slot = { kind: 'any' }
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

// Slots are constants: the check runs for every message and should not allocate them.
const S = {
  valueMap: { kind: 'type', ctor: Y.Map, counter: { kind: 'map', max: LIMITS.valuesMax } },
  valueText: chars(LIMITS.valueText),
  rank: value(isRank),
  pos: value(isPos),
  link: value(isLink, { kind: 'map', max: LIMITS.linksMax }),
  stamp: value(isStamp),
  visionMap: { kind: 'type', ctor: Y.Map, counter: { kind: 'map', max: LIMITS.visionMax } },
  title: chars(LIMITS.title),
  body: chars(LIMITS.visionBody),
  moment: { kind: 'type', ctor: Y.Map, counter: { kind: 'array', max: LIMITS.storyMax } },
  momentId: value((v) => typeof v === 'string' && isValidId(v)),
  when: value((v) => typeof v === 'string' && withinLimit(v, LIMITS.storyWhen)),
  level: value((v) => Number.isInteger(v) && (v as number) >= LIMITS.levelMin && (v as number) <= LIMITS.levelMax),
  storyText: chars(LIMITS.storyText),
  card: value(isPile, { kind: 'map', max: LIMITS.cardsMax }),
  draft: { kind: 'type', ctor: Y.Text, counter: { kind: 'map', max: LIMITS.draftsMax } },
  draftText: chars(LIMITS.draft),
} satisfies Record<string, Slot>

const PERSON_TEXTS = new Map<string, Slot>([
  [PERSON.checkin, chars(LIMITS.checkin)],
  [PERSON.purpose, chars(LIMITS.purpose)],
  [PERSON.commitment, chars(LIMITS.commitment)],
  [PERSON.autonomy, chars(LIMITS.autonomy)],
])
const PERSON_MAPS = new Set<string>([PERSON.values, PERSON.links, PERSON.reactions])

/** Below `people.<me>`: `rest` is the path under the entry (field, then keys). */
function personSlot(rest: readonly Key[], me: string): Slot | null {
  const [field, key, inner, leaf] = rest
  if (field == null) return null
  const text = PERSON_TEXTS.get(field)
  if (text !== undefined) {
    if (rest.length === 1) return TEXT
    return rest.length === 2 && key === null ? text : null
  }
  if (!PERSON_MAPS.has(field)) return null
  if (rest.length === 1) return MAP
  if (typeof key !== 'string' || !isValidId(key)) return null
  if (field === PERSON.links) return rest.length === 2 ? S.link : null
  if (field === PERSON.reactions) return rest.length === 2 && key !== me ? S.stamp : null
  // values.<id>: a map of text, rank and pos
  if (rest.length === 2) return S.valueMap
  if (rest.length === 3) {
    if (inner === VALUE.text) return TEXT
    if (inner === VALUE.rank) return S.rank
    if (inner === VALUE.pos) return S.pos
    return null
  }
  return rest.length === 4 && inner === VALUE.text && leaf === null ? S.valueText : null
}

function visionSlot(path: readonly Key[]): Slot | null {
  const [id, field, leaf] = path
  if (typeof id !== 'string' || !isValidId(id)) return null
  if (path.length === 1) return S.visionMap
  const text = field === VISION.title ? S.title : field === VISION.body ? S.body : null
  if (text !== null) {
    if (path.length === 2) return TEXT
    return path.length === 3 && leaf === null ? text : null
  }
  return field === VISION.pos && path.length === 2 ? S.pos : null
}

const isCardId = (k: string) => isDeckCard(k) || (k.startsWith(CUSTOM_CARD_PREFIX) && isValidId(k))

function notebookSlot(root: string, path: readonly Key[]): Slot | null {
  const [first, second, third] = path
  if (root === NOTEBOOK.story) {
    if (first !== null || path.length === 0) return null
    if (path.length === 1) return S.moment
    if (path.length === 2) {
      if (second === MOMENT.id) return S.momentId
      if (second === MOMENT.when) return S.when
      if (second === MOMENT.level) return S.level
      if (second === MOMENT.text) return TEXT
      return null
    }
    return path.length === 3 && second === MOMENT.text && third === null ? S.storyText : null
  }
  if (typeof first !== 'string') return null
  if (root === NOTEBOOK.cards) return path.length === 1 && isCardId(first) ? S.card : null
  if (root === NOTEBOOK.drafts) {
    if (!isValidId(first)) return null
    if (path.length === 1) return S.draft
    return path.length === 2 && second === null ? S.draftText : null
  }
  return null
}

// Rules are objects with methods, not closures: they are made for every message.
const NOTEBOOK_RULES: Rules = { slot: notebookSlot, mayDelete: () => true }

const FACILITATOR_RULES: Rules = {
  slot: (root, path) => (root === BOARD.vision ? visionSlot(path) : root === BOARD.people ? ANY : null),
  mayDelete: () => true,
}

class ParticipantRules implements Rules {
  constructor(private readonly me: string) {}
  /** Strictly below people.<me>: the entry itself is the server's. */
  mayDelete(root: string, path: readonly Key[]): boolean {
    return root === BOARD.people && path.length >= 2 && path[0] === this.me
  }
  slot(root: string, path: readonly Key[]): Slot | null {
    return this.mayDelete(root, path) ? personSlot(path.slice(1), this.me) : null
  }
}

export function rulesFor(room: RoomName, who: Identity): Rules {
  // Only a notebook's owner reaches here; everything in the notebook is theirs to delete.
  if (room.kind === 'notebook') return NOTEBOOK_RULES
  return who.role === 'facilitator' ? FACILITATOR_RULES : new ParticipantRules(who.participantId)
}
