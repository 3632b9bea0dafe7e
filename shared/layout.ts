// The document layout of SPEC §5 as names and typed accessors, for the server, the client and the
// exports alike. Board and notebook are separate documents; only these keys are ever used.
import * as Y from 'yjs'

export const BOARD = { vision: 'vision', people: 'people' } as const
export const VISION = { title: 'title', body: 'body', pos: 'pos' } as const
export const PERSON = {
  checkin: 'checkin',
  values: 'values',
  purpose: 'purpose',
  links: 'links',
  commitment: 'commitment',
  reactions: 'reactions',
  // Extension (README): "what I will decide on my own", the second half of the commitment phase.
  autonomy: 'autonomy',
} as const
export const VALUE = { text: 'text', rank: 'rank', pos: 'pos' } as const
export const NOTEBOOK = { story: 'story', cards: 'cards', drafts: 'drafts' } as const
export const MOMENT = { id: 'id', when: 'when', text: 'text', level: 'level' } as const

/** A link's `from` names a value id or this literal for the purpose statement. */
export const PURPOSE_SOURCE = 'purpose'
export const CUSTOM_CARD_PREFIX = 'custom-'

export const STAMPS = ['resonates', 'inspiring', 'cheering'] as const
export type Stamp = (typeof STAMPS)[number]
export const PILES = ['very', 'important', 'not'] as const
export type Pile = (typeof PILES)[number]
export type Rank = 1 | 2 | 3 | null

export type Pos = { x: number; y: number }
export type Link = { from: string; to: string; reason: string }

export type VisionItemMap = Y.Map<unknown>
export type PersonMap = Y.Map<unknown>
export type ValueMap = Y.Map<unknown>

// ---- board -----------------------------------------------------------------------------------

export const visionOf = (doc: Y.Doc) => doc.getMap<VisionItemMap>(BOARD.vision)
export const peopleOf = (doc: Y.Doc) => doc.getMap<PersonMap>(BOARD.people)

export const personText = (person: PersonMap, key: 'checkin' | 'purpose' | 'commitment' | 'autonomy') =>
  person.get(PERSON[key]) as Y.Text | undefined
export const valuesOf = (person: PersonMap) => person.get(PERSON.values) as Y.Map<ValueMap> | undefined
export const linksOf = (person: PersonMap) => person.get(PERSON.links) as Y.Map<Link> | undefined
export const reactionsOf = (person: PersonMap) => person.get(PERSON.reactions) as Y.Map<Stamp> | undefined

/** The entry the server writes for a participant at join, with all its fields. */
export function createPerson(doc: Y.Doc, participantId: string): void {
  const person = new Y.Map<unknown>()
  person.set(PERSON.checkin, new Y.Text())
  person.set(PERSON.values, new Y.Map())
  person.set(PERSON.purpose, new Y.Text())
  person.set(PERSON.links, new Y.Map())
  person.set(PERSON.commitment, new Y.Text())
  person.set(PERSON.reactions, new Y.Map())
  person.set(PERSON.autonomy, new Y.Text())
  peopleOf(doc).set(participantId, person)
}

export function createVisionItem(doc: Y.Doc, id: string, title: string, body: string, pos: Pos): void {
  const item = new Y.Map<unknown>()
  item.set(VISION.title, new Y.Text(title))
  item.set(VISION.body, new Y.Text(body))
  item.set(VISION.pos, pos)
  visionOf(doc).set(id, item)
}

export function createValue(text: string, rank: Rank, pos: Pos): ValueMap {
  const value = new Y.Map<unknown>()
  value.set(VALUE.text, new Y.Text(text))
  value.set(VALUE.rank, rank)
  value.set(VALUE.pos, pos)
  return value
}

// ---- plain reads (exports, reports, progress) -------------------------------------------------

export type VisionItemView = { id: string; title: string; body: string; pos: Pos }
export type ValueView = { id: string; text: string; rank: Rank; pos: Pos }
export type PersonView = {
  participantId: string
  checkin: string
  values: ValueView[]
  purpose: string
  links: (Link & { id: string })[]
  commitment: string
  autonomy: string
  reactions: Record<string, Stamp>
}

const textOf = (v: unknown) => (v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v : '')
const posOf = (v: unknown): Pos => {
  const p = v as Partial<Pos> | undefined
  return { x: Number.isFinite(p?.x) ? p!.x! : 0, y: Number.isFinite(p?.y) ? p!.y! : 0 }
}

export function readVision(doc: Y.Doc): VisionItemView[] {
  const out: VisionItemView[] = []
  visionOf(doc).forEach((item, id) => {
    if (!(item instanceof Y.Map)) return
    out.push({ id, title: textOf(item.get(VISION.title)), body: textOf(item.get(VISION.body)), pos: posOf(item.get(VISION.pos)) })
  })
  return out
}

export function readPerson(person: PersonMap, participantId: string): PersonView {
  const values: ValueView[] = []
  valuesOf(person)?.forEach((v, id) => {
    if (!(v instanceof Y.Map)) return
    const rank = v.get(VALUE.rank)
    values.push({ id, text: textOf(v.get(VALUE.text)), rank: rank === 1 || rank === 2 || rank === 3 ? rank : null, pos: posOf(v.get(VALUE.pos)) })
  })
  values.sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99) || a.id.localeCompare(b.id))
  const links: (Link & { id: string })[] = []
  linksOf(person)?.forEach((l, id) => {
    if (l && typeof l === 'object') links.push({ id, from: String(l.from), to: String(l.to), reason: String(l.reason ?? '') })
  })
  const reactions: Record<string, Stamp> = {}
  reactionsOf(person)?.forEach((s, to) => {
    if ((STAMPS as readonly string[]).includes(s)) reactions[to] = s
  })
  return {
    participantId,
    checkin: textOf(person.get(PERSON.checkin)),
    values,
    purpose: textOf(person.get(PERSON.purpose)),
    links,
    commitment: textOf(person.get(PERSON.commitment)),
    autonomy: textOf(person.get(PERSON.autonomy)),
    reactions,
  }
}

export function readPeople(doc: Y.Doc): PersonView[] {
  const out: PersonView[] = []
  peopleOf(doc).forEach((p, id) => {
    if (p instanceof Y.Map) out.push(readPerson(p, id))
  })
  return out
}

/** Stamps a participant received, counted over everyone's `reactions`. */
export function stampsReceived(people: PersonView[], participantId: string): Record<Stamp, number> {
  const counts: Record<Stamp, number> = { resonates: 0, inspiring: 0, cheering: 0 }
  for (const p of people) {
    const s = p.reactions[participantId]
    if (s && p.participantId !== participantId) counts[s]++
  }
  return counts
}

// ---- notebook --------------------------------------------------------------------------------

export const storyOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>(NOTEBOOK.story)
export const cardsOf = (doc: Y.Doc) => doc.getMap<Pile>(NOTEBOOK.cards)
export const draftsOf = (doc: Y.Doc) => doc.getMap<Y.Text>(NOTEBOOK.drafts)

export type MomentView = { id: string; when: string; text: string; level: number }
export type NotebookView = { story: MomentView[]; cards: Record<string, Pile>; drafts: Record<string, string> }

export function readNotebook(doc: Y.Doc): NotebookView {
  const story: MomentView[] = storyOf(doc)
    .toArray()
    .filter((m) => m instanceof Y.Map)
    .map((m) => {
      const level = Number(m.get(MOMENT.level))
      return {
        id: String(m.get(MOMENT.id) ?? ''),
        when: String(m.get(MOMENT.when) ?? ''),
        text: textOf(m.get(MOMENT.text)),
        level: Number.isFinite(level) ? Math.max(-5, Math.min(5, Math.round(level))) : 0,
      }
    })
  const cards: Record<string, Pile> = {}
  cardsOf(doc).forEach((pile, id) => {
    if ((PILES as readonly string[]).includes(pile)) cards[id] = pile
  })
  const drafts: Record<string, string> = {}
  draftsOf(doc).forEach((t, k) => (drafts[k] = textOf(t)))
  return { story, cards, drafts }
}
