// Where everything goes on the board, as a pure function of the documents' contents: the vision
// where the facilitator put it, each person's purpose and values in a grid below it, in their colour.
// Values with a stored position (other than the origin) keep it; the rest are placed here.
import type { PersonView, Pos, Rank, VisionItemView } from '../../../shared/layout'
import { PURPOSE_SOURCE } from '../../../shared/layout'
import type { RosterEntry } from '../../../shared/protocol'
import { LIMITS } from '../../../shared/limits'
import type { Box } from './viewport'
import { wrapText } from './wrap'

export type CardKind = 'vision' | 'value' | 'purpose'

export type Card = {
  key: string
  kind: CardKind
  ownerId: string | null
  /** The vision id, the value id, or `purpose`. */
  refId: string
  text: string
  lines: string[]
  x: number
  y: number
  w: number
  h: number
  color: string
  ownerName: string
  rank: Rank
  /** True when the card has a stored position of its own (it may be moved). */
  placed: boolean
}

export type LinkLine = { key: string; id: string; ownerId: string; from: string; to: string; reason: string; color: string }
export type NameLabel = { key: string; ownerId: string; name: string; color: string; x: number; y: number }

export type Scene = { cards: Card[]; byKey: Map<string, Card>; links: LinkLine[]; labels: NameLabel[]; box: Box }

const VISION_W = 230
const COLUMNS = 8
const COLUMN_W = 240
const ROW_H = 280
const CLUSTER_W = 232
const VALUE_W = 150
const VALUE_H = 34
const PURPOSE_W = 224
const FONT = 14
const LINE = 18

export const visionKey = (id: string) => `v:${id}`
export const valueKey = (owner: string, id: string) => `val:${owner}:${id}`
export const purposeKey = (owner: string) => `p:${owner}`
export const sourceKey = (owner: string, from: string) => (from === PURPOSE_SOURCE ? purposeKey(owner) : valueKey(owner, from))

const isPlaced = (p: Pos) => p.x !== 0 || p.y !== 0

export function buildScene(vision: VisionItemView[], people: PersonView[], roster: RosterEntry[]): Scene {
  const cards: Card[] = []
  const labels: NameLabel[] = []
  const links: LinkLine[] = []

  // Vision: where the facilitator (or the server, at creation) put each item.
  for (const v of vision) {
    const lines = wrapText(v.title || '—', VISION_W - 24, 16, 3, true)
    cards.push({
      key: visionKey(v.id), kind: 'vision', ownerId: null, refId: v.id, text: v.title, lines, x: v.pos.x, y: v.pos.y,
      w: VISION_W, h: 28 + lines.length * 21, color: '#1f2a44', ownerName: '', rank: null, placed: true,
    })
  }
  const bottom = vision.length ? Math.max(...vision.map((v) => v.pos.y)) : 0

  // People in join order, in the same grid below the vision that the values phase publishes into
  // (client/src/phases/values/cards.ts), each purpose just above that person's values.
  const order = new Map(roster.map((r, i) => [r.participantId, i]))
  const sorted = [...people].sort((a, b) => (order.get(a.participantId) ?? 1e9) - (order.get(b.participantId) ?? 1e9) || a.participantId.localeCompare(b.participantId))
  sorted.forEach((p, k) => {
    const r = roster[order.get(p.participantId) ?? -1]
    const color = r?.color ?? '#64748b'
    const name = r?.name ?? ''
    const slot = order.get(p.participantId) ?? k
    const col = slot % COLUMNS
    const row = Math.floor(slot / COLUMNS)
    const home = { x: 40 + col * COLUMN_W, y: bottom + 260 + row * ROW_H }
    const values = p.values.slice(0, LIMITS.valuesMax).map((v, i) => {
      const pos = isPlaced(v.pos) ? v.pos : { x: home.x, y: home.y + ((v.rank ?? i + 1) - 1) * 72 }
      return { v, pos }
    })
    const anchor = values.length ? values.reduce((a, b) => (b.pos.y < a.pos.y ? b : a)).pos : { x: home.x, y: home.y }
    const purposeLines = p.purpose.trim() ? wrapText(p.purpose.trim(), PURPOSE_W - 20, FONT, 3) : []
    const purposeH = purposeLines.length ? 14 + purposeLines.length * LINE : 0
    const purposeY = anchor.y - VALUE_H / 2 - 6 - purposeH / 2
    if (purposeLines.length) {
      cards.push({
        key: purposeKey(p.participantId), kind: 'purpose', ownerId: p.participantId, refId: PURPOSE_SOURCE, text: p.purpose.trim(),
        lines: purposeLines, x: anchor.x, y: purposeY, w: PURPOSE_W, h: purposeH, color, ownerName: name, rank: null, placed: false,
      })
    }
    const labelY = purposeLines.length ? purposeY - purposeH / 2 - 5 : anchor.y - VALUE_H / 2 - 5
    labels.push({ key: `n:${p.participantId}`, ownerId: p.participantId, name, color, x: anchor.x - PURPOSE_W / 2 + 4, y: labelY })
    for (const { v, pos } of values) {
      const lines = wrapText(v.text || '—', VALUE_W - (v.rank ? 40 : 24), 13, 1, true)
      cards.push({
        key: valueKey(p.participantId, v.id), kind: 'value', ownerId: p.participantId, refId: v.id, text: v.text, lines,
        x: pos.x, y: pos.y, w: VALUE_W, h: VALUE_H, color, ownerName: name, rank: v.rank, placed: isPlaced(v.pos),
      })
    }
    for (const l of p.links) {
      links.push({ key: `l:${p.participantId}:${l.id}`, id: l.id, ownerId: p.participantId, from: sourceKey(p.participantId, l.from), to: visionKey(l.to), reason: l.reason, color })
    }
  })

  const byKey = new Map(cards.map((c) => [c.key, c]))
  return { cards, byKey, links: links.filter((l) => byKey.has(l.from) && byKey.has(l.to)), labels, box: boxOf(cards, labels) }
}

export function boxOf(cards: Card[], labels: NameLabel[] = []): Box {
  if (!cards.length && !labels.length) return { minX: -400, minY: -300, maxX: 400, maxY: 300 }
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const c of cards) {
    minX = Math.min(minX, c.x - c.w / 2)
    maxX = Math.max(maxX, c.x + c.w / 2)
    minY = Math.min(minY, c.y - c.h / 2)
    maxY = Math.max(maxY, c.y + c.h / 2)
  }
  for (const l of labels) {
    minX = Math.min(minX, l.x)
    maxX = Math.max(maxX, l.x + CLUSTER_W)
    minY = Math.min(minY, l.y - 16)
    maxY = Math.max(maxY, l.y)
  }
  return { minX, minY, maxX, maxY }
}
