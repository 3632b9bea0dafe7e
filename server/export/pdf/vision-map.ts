// The vision map as vectors: each vision item a box, the value words linked to it (grouped, with
// counts) and the purposes linked to it as chips joined to the box by lines whose weight follows
// the count. One block per vision item, flowing over as many pages as needed.
import type { Locale } from '../../../shared/protocol.js'
import { pdf } from '../../../shared/i18n/pdf.js'
import type { VisionSummary } from '../summary.js'
import { ACCENT, CONTENT_WIDTH, INK, MUTED, PAGE, type PdfWriter } from './writer.js'

const BOX_W = 178
const CHIP_X = PAGE.left + BOX_W + 46
const CHIP_W = PAGE.left + CONTENT_WIDTH - CHIP_X
const CHIP_H = 17
const CHIP_GAP = 4
const MAX_CHIPS = 9

type Chip = { label: string; count: number; kind: 'value' | 'purpose' | 'more' }

function chipsOf(s: VisionSummary, lang: Locale): Chip[] {
  const t = pdf[lang]
  const chips: Chip[] = []
  if (s.purposeCount > 0) chips.push({ label: t.purposeSource, count: s.purposeCount, kind: 'purpose' })
  const room = MAX_CHIPS - chips.length
  const shown = s.groups.length > room ? s.groups.slice(0, room - 1) : s.groups
  for (const g of shown) chips.push({ label: g.text || t.empty, count: g.count, kind: 'value' })
  const rest = s.groups.slice(shown.length)
  if (rest.length > 0) chips.push({ label: t.moreValues(rest.length), count: rest.reduce((n, g) => n + g.count, 0), kind: 'more' })
  return chips
}

export function drawVisionMap(w: PdfWriter, summaries: VisionSummary[], lang: Locale): void {
  const t = pdf[lang]
  const doc = w.doc
  for (const s of summaries) {
    const chips = chipsOf(s, lang)
    const titleStyle = { size: 10, face: 'bold' as const, width: BOX_W - 20, maxLines: 4 }
    const titleLines = w.lines(s.item.title, titleStyle)
    const boxH = Math.max(titleLines.length * w.lineHeight(titleStyle) + 34, 52)
    const chipsH = chips.length * (CHIP_H + CHIP_GAP) - CHIP_GAP
    const blockH = Math.max(boxH, chipsH)
    w.ensure(blockH + 14)
    const top = w.y
    const boxY = top + (blockH - boxH) / 2
    doc.roundedRect(PAGE.left, boxY, BOX_W, boxH, 6).lineWidth(1.2).fillAndStroke('#eef2fb', ACCENT)
    titleLines.forEach((line, i) => w.drawLine(line, PAGE.left + 10, boxY + 8 + i * w.lineHeight(titleStyle), titleStyle))
    w.drawLine(t.linkCount(s.entries.length, s.people), PAGE.left + 10, boxY + boxH - 22, { size: 8, color: MUTED })

    const maxCount = Math.max(1, ...chips.map((c) => c.count))
    const chipsTop = top + (blockH - chipsH) / 2
    const fromX = PAGE.left + BOX_W
    const fromY = boxY + boxH / 2
    chips.forEach((chip, i) => {
      const cy = chipsTop + i * (CHIP_H + CHIP_GAP)
      const toY = cy + CHIP_H / 2
      const weight = 0.6 + 2.4 * (chip.count / maxCount)
      doc
        .moveTo(fromX, fromY)
        .bezierCurveTo(fromX + 26, fromY, CHIP_X - 26, toY, CHIP_X, toY)
        .lineWidth(weight)
        .strokeColor(chip.kind === 'more' ? '#c3c9d2' : '#9fb1d9')
        .stroke()
      const fill = chip.kind === 'purpose' ? '#fdf1e3' : chip.kind === 'more' ? '#f3f4f6' : '#ffffff'
      const edge = chip.kind === 'purpose' ? '#e0a35a' : '#b9c3d4'
      doc.roundedRect(CHIP_X, cy, CHIP_W, CHIP_H, CHIP_H / 2).lineWidth(0.7).fillAndStroke(fill, edge)
      const count = `× ${chip.count}`
      const cw = w.face('bold').width(count, 8.5)
      const style = { size: 8.5, lineGap: CHIP_H / 8.5, maxLines: 1, width: CHIP_W - cw - 30, color: chip.kind === 'more' ? MUTED : INK }
      const label = w.lines(chip.label.replace(/\s+/g, ' '), style)[0] ?? ''
      w.drawLine(label, CHIP_X + 10, cy, style)
      w.drawLine(count, CHIP_X + CHIP_W - cw - 10, cy, { ...style, face: 'bold', color: ACCENT })
    })
    w.y = top + blockH + 14
  }
}
