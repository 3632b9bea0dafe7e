// The values card sort in the notebook, and publishing one's top three to the board.
import * as Y from 'yjs'
import { nanoid } from 'nanoid'
import { cardsOf, createValue, draftsOf, linksOf, PILES, readPerson, valuesOf, type Pile, type Pos, type PersonMap } from '../../../../shared/layout'
import { cardLabel, isDeckCard, VALUES_DECK } from '../../../../shared/deck'
import { LIMITS, isValidId } from '../../../../shared/limits'
import type { Locale } from '../../../../shared/protocol'
import { CUSTOM_CARD_PREFIX } from '../../../../shared/layout'
import { newCustomCardId } from '../../notebook/drafts'
import { publishable, setText } from '../ytext'

export type Card = { id: string; label: string; custom: boolean }

/** The next pile when a card is tapped: very → important → not → very. */
export function nextPile(pile: Pile | undefined): Pile {
  if (!pile) return 'very'
  return PILES[(PILES.indexOf(pile) + 1) % PILES.length]!
}

export function setPile(notebook: Y.Doc, id: string, pile: Pile | null): void {
  const cards = cardsOf(notebook)
  if (pile === null) cards.delete(id)
  else if (cards.get(id) !== pile) cards.set(id, pile)
}

export function customLabel(notebook: Y.Doc, id: string): string {
  const t = draftsOf(notebook).get(id)
  return t instanceof Y.Text ? t.toString() : ''
}

/** Every card: the deck in its order, then one's own words. */
export function allCards(notebook: Y.Doc, lang: Locale): Card[] {
  const deck = VALUES_DECK.map((c) => ({ id: c.id, label: c[lang], custom: false }))
  const own: Card[] = []
  cardsOf(notebook).forEach((_pile, id) => {
    if (id.startsWith(CUSTOM_CARD_PREFIX)) own.push({ id, label: customLabel(notebook, id), custom: true })
  })
  own.sort((a, b) => a.label.localeCompare(b.label))
  return [...deck, ...own]
}

export function canAddCustom(notebook: Y.Doc): boolean {
  return cardsOf(notebook).size < LIMITS.cardsMax && draftsOf(notebook).size < LIMITS.draftsMax - 4
}

export function addCustomCard(notebook: Y.Doc, label: string): string | null {
  const text = publishable(label, LIMITS.customLabel)
  if (!text || !canAddCustom(notebook)) return null
  const id = newCustomCardId()
  notebook.transact(() => {
    draftsOf(notebook).set(id, new Y.Text(text))
    cardsOf(notebook).set(id, 'very')
  })
  return id
}

export function removeCustomCard(notebook: Y.Doc, id: string): void {
  notebook.transact(() => {
    cardsOf(notebook).delete(id)
    draftsOf(notebook).delete(id)
  })
}

/** The words a card is known by, in every language (a published value matches any of them). */
export function cardNames(notebook: Y.Doc, id: string): string[] {
  if (isDeckCard(id)) return [cardLabel(id, 'ja')!, cardLabel(id, 'en')!]
  return [customLabel(notebook, id)]
}

/** Where a person's values go on the board by default: below the vision, a column per person. */
export function defaultValuePos(visionPos: Pos[], personIndex: number, rank: number): Pos {
  const bottom = visionPos.length ? Math.max(...visionPos.map((p) => p.y)) : 0
  const col = Math.max(0, personIndex) % 8
  const row = Math.floor(Math.max(0, personIndex) / 8)
  return { x: 40 + col * 240, y: bottom + 260 + row * 280 + (rank - 1) * 72 }
}

export type Pick = { text: string; names: string[] }

/** Whether the board already shows exactly these picks, in this order (in any language). */
export function samePicks(picks: Pick[], published: { text: string }[]): boolean {
  return picks.length === published.length && picks.every((p, i) => p.names.includes(published[i]!.text))
}

/**
 * Publishes the chosen values in rank order. A value already on the board for the same card (in
 * any language) keeps its id and position, since links point at it; values no longer chosen leave
 * the board with their links.
 */
export function publishValues(board: Y.Doc, person: PersonMap, picks: Pick[], posFor: (rank: number) => Pos): void {
  const values = valuesOf(person)
  const links = linksOf(person)
  if (!values) return
  const current = readPerson(person, '').values
  const chosen = picks
    .map((p) => ({ text: publishable(p.text, LIMITS.valueText), names: p.names }))
    .filter((p) => p.text)
    .slice(0, 3)
  board.transact(() => {
    const kept = new Set<string>()
    chosen.forEach(({ text, names }, i) => {
      const rank = (i + 1) as 1 | 2 | 3
      const same = current.find((v) => !kept.has(v.id) && (v.text === text || names.includes(v.text)))
      if (same) {
        kept.add(same.id)
        const v = values.get(same.id)
        if (v && v.get('rank') !== rank) v.set('rank', rank)
        const t = v?.get('text')
        if (t instanceof Y.Text && t.toString() !== text) setText(t, text)
        return
      }
      let id = nanoid(12)
      while (!isValidId(id) || values.has(id)) id = nanoid(12)
      kept.add(id)
      values.set(id, createValue(text, rank, posFor(rank)))
    })
    const gone = new Set(current.filter((v) => !kept.has(v.id)).map((v) => v.id))
    for (const id of gone) values.delete(id)
    const orphans: string[] = []
    links?.forEach((l, linkId) => {
      if (l && gone.has(l.from)) orphans.push(linkId)
    })
    for (const id of orphans) links?.delete(id)
  })
}
