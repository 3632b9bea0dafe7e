// The sheet a participant takes home: purpose, top values, links to the vision and why, first
// step and what they decide on their own, stamps received; in their own copy also the life story
// as a motivation chart and the values card sort.
import type { Locale } from '../../shared/protocol.js'
import { CUSTOM_CARD_PREFIX, PILES, PURPOSE_SOURCE, stampsReceived, type NotebookView } from '../../shared/layout.js'
import { cardLabel } from '../../shared/deck.js'
import { pdf } from '../../shared/i18n/pdf.js'
import { onRoster, peopleInOrder, workshopDate, type ExportInput } from './input.js'
import { drawStampRow, stampSubstitutes } from './pdf/stamps.js'
import { drawStoryChart } from './pdf/story-chart.js'
import { ACCENT, CONTENT_WIDTH, INK, MUTED, PAGE, PdfWriter, RULE } from './pdf/writer.js'

export type SheetOptions = {
  participantId: string
  /** The participant's own notebook; only given for their own copy. */
  notebook?: NotebookView | null
}

export async function renderSheet(input: ExportInput, lang: Locale, opts: SheetOptions): Promise<Buffer> {
  const t = pdf[lang]
  const row = peopleInOrder(input).find((r) => r.person.participantId === opts.participantId)
  if (!row) throw new Error('participant is not on the roster')
  const { person, view } = row
  const date = workshopDate(input.workshop.createdAt, lang)
  const w = new PdfWriter({ title: `${person.name} — ${t.sheetTitle}`, header: input.workshop.title, date, lang, substitutes: stampSubstitutes(lang) })

  w.text(t.sheetTitle, { size: 10, color: ACCENT, face: 'bold' })
  w.ensure(30)
  w.dot(PAGE.left + 6, w.y + 14, person.color, 6)
  w.text(person.name, { size: 20, face: 'bold', x: PAGE.left + 20, lineGap: 1.4 })
  w.gap(6)

  // Purpose in a tinted box.
  const purposeStyle = { size: 12.5, x: PAGE.left + 14, width: CONTENT_WIDTH - 28, lineGap: 1.6 }
  const purpose = view.purpose.trim()
  const plines = w.lines(purpose || t.empty, purposeStyle)
  const boxH = plines.length * w.lineHeight(purposeStyle) + 34
  w.ensure(Math.min(boxH, 400))
  w.doc.roundedRect(PAGE.left, w.y, CONTENT_WIDTH, boxH, 8).fillColor('#eef2fb').fill()
  w.drawLine(t.purpose, PAGE.left + 14, w.y + 6, { size: 8, color: ACCENT, face: 'bold' })
  w.textAt(purpose || t.empty, PAGE.left + 14, w.y + 24, { ...purposeStyle, color: purpose ? INK : MUTED })
  w.y += boxH + 10

  w.subheading(t.topValues)
  const top = view.values.filter((v) => v.text.trim()).slice(0, 3)
  if (top.length === 0) w.text(t.nothingYet, { size: 10, x: PAGE.left + 6, color: MUTED })
  top.forEach((v, i) => {
    const style = { size: 11, face: 'bold' as const, x: PAGE.left + 22 }
    w.ensure(w.lineHeight(style))
    w.drawLine(`${i + 1}.`, PAGE.left + 6, w.y, { ...style, color: ACCENT })
    w.text(v.text.trim().replace(/\s+/g, ' '), style)
  })

  w.subheading(t.linksToVision)
  const vision = new Map(input.vision.map((v) => [v.id, v]))
  const values = new Map(view.values.map((v) => [v.id, v.text]))
  const links = view.links.filter((l) => vision.has(l.to) && (l.from === PURPOSE_SOURCE || values.has(l.from)))
  if (links.length === 0) w.text(t.nothingYet, { size: 10, x: PAGE.left + 6, color: MUTED })
  // Grouped by vision item: what I connected to, then from what and why.
  for (const item of input.vision) {
    const mine = links.filter((l) => l.to === item.id)
    if (mine.length === 0) continue
    w.ensure(44)
    w.doc.polygon([PAGE.left + 6, w.y + 5], [PAGE.left + 12, w.y + 8.5], [PAGE.left + 6, w.y + 12]).fillColor(ACCENT).fill()
    w.text(item.title.replace(/\s+/g, ' '), { size: 10, face: 'bold', x: PAGE.left + 16 })
    for (const l of mine) {
      w.ensure(30)
      const from = l.from === PURPOSE_SOURCE ? t.purposeSource : (values.get(l.from) ?? '').trim().replace(/\s+/g, ' ') || t.empty
      w.text(from, { size: 8.5, face: 'bold', color: ACCENT, x: PAGE.left + 24, maxLines: 2, lineGap: 1.45 })
      if (l.reason.trim()) w.text(l.reason, { size: 9.5, x: PAGE.left + 24, color: INK })
    }
    w.gap(2)
  }

  w.subheading(t.commitment)
  w.text(view.commitment.trim() || t.empty, { size: 10.5, x: PAGE.left + 6, color: view.commitment.trim() ? INK : MUTED })
  w.subheading(t.autonomy)
  w.text(view.autonomy.trim() || t.empty, { size: 10.5, x: PAGE.left + 6, color: view.autonomy.trim() ? INK : MUTED })

  w.subheading(t.stampsReceived, 11, 30)
  w.gap(2)
  w.y += drawStampRow(w, stampsReceived(onRoster(input), person.participantId), lang, PAGE.left + 6, w.y) + 6

  if (opts.notebook) drawNotebook(w, opts.notebook, lang)
  return w.finish(t.page)
}

function drawNotebook(w: PdfWriter, nb: NotebookView, lang: Locale): void {
  const t = pdf[lang]
  w.gap(8)
  w.ensure(240)
  w.doc.moveTo(PAGE.left, w.y).lineTo(PAGE.left + CONTENT_WIDTH, w.y).lineWidth(0.6).strokeColor(RULE).dash(3, { space: 3 }).stroke().undash()
  w.gap(4)
  w.text(t.privateNote, { size: 8, color: MUTED })
  w.subheading(t.lifeStory, 11, 200)
  if (nb.story.length === 0) w.text(t.nothingYet, { size: 10, x: PAGE.left + 6, color: MUTED })
  else drawStoryChart(w, nb.story)

  w.subheading(t.cardSort, 11, 60)
  if (Object.keys(nb.cards).length === 0) {
    w.text(t.nothingYet, { size: 10, x: PAGE.left + 6, color: MUTED })
    return
  }
  const colW = CONTENT_WIDTH / 3
  const style = { size: 9, width: colW - 16, maxLines: 2, lineGap: 1.4 }
  const piles = PILES.map((pile) =>
    Object.entries(nb.cards)
      .filter(([, p]) => p === pile)
      .map(([id]) => (id.startsWith(CUSTOM_CARD_PREFIX) ? (nb.drafts[id] ?? '').trim() || t.customCard : (cardLabel(id, lang) ?? id)))
      .sort((a, b) => a.localeCompare(b, lang)),
  )
  const lh = w.lineHeight(style)
  w.ensure(lh * 3 + 20)
  let y = w.y
  const heads = y
  PILES.forEach((pile, i) => w.drawLine(`${t.piles[pile]} (${piles[i]!.length})`, PAGE.left + i * colW + 4, heads, { size: 9.5, face: 'bold', color: ACCENT }))
  y += 20
  const cols = piles.map((cards) => cards.map((c) => w.lines(c.replace(/\s+/g, ' '), style)))
  const ys = [y, y, y]
  // Columns side by side; a long pile continues on the next page with all three columns.
  for (let k = 0; cols.some((c) => k < c.length); k++) {
    const need = Math.max(...cols.map((c) => (c[k] ? c[k]!.length * lh : 0)))
    if (Math.max(...ys) + need > w.bottom) {
      w.newPage()
      ys.fill(w.y)
    }
    cols.forEach((c, i) => {
      const lines = c[k]
      if (!lines) return
      lines.forEach((line, j) => w.drawLine(line, PAGE.left + i * colW + 8, ys[i]! + j * lh, style))
      ys[i]! += lines.length * lh
    })
  }
  w.y = Math.max(...ys) + 6
}
