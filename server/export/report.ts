// The session report a facilitator hands to management: cover with counts, the vision map, the
// links per vision item with reasons, and every check-in word, purpose and first step with names
// (or, with `anonymous`, without any).
import type { Locale } from '../../shared/protocol.js'
import { pdf } from '../../shared/i18n/pdf.js'
import { countOutcomes, peopleInOrder, workshopDate, type ExportInput, type RosterPerson } from './input.js'
import { summarizeVision, type LinkEntry } from './summary.js'
import { drawVisionMap } from './pdf/vision-map.js'
import { stampSubstitutes } from './pdf/stamps.js'
import { ACCENT, CONTENT_WIDTH, INK, MUTED, PAGE, PdfWriter, RULE } from './pdf/writer.js'

export type ReportOptions = { anonymous?: boolean }

export async function renderReport(input: ExportInput, lang: Locale, opts: ReportOptions = {}): Promise<Buffer> {
  const t = pdf[lang]
  const date = workshopDate(input.workshop.createdAt, lang)
  const w = new PdfWriter({ title: input.workshop.title, header: `${input.workshop.title} — ${t.reportTitle}`, date, lang, substitutes: stampSubstitutes(lang) })
  const anonymous = opts.anonymous === true

  drawCover(w, input, lang, date, anonymous)

  const summaries = summarizeVision(input)
  w.newPage()
  w.heading(t.visionMap)
  w.text(t.visionMapNote, { size: 8.5, color: MUTED })
  w.gap(8)
  drawVisionMap(w, summaries, lang)

  w.newPage()
  w.heading(t.byVision)
  for (const s of summaries) {
    w.subheading(s.item.title)
    if (s.item.body.trim()) w.text(s.item.body, { size: 8.5, color: MUTED })
    w.text(t.linkCount(s.entries.length, s.people), { size: 8.5, color: ACCENT })
    if (s.entries.length === 0) w.text(t.noLinks, { size: 9, color: MUTED })
    // Grouped like the map: each value word once with its count, then why and who.
    for (const g of s.groups) {
      groupHeader(w, g.text.trim() || t.empty, g.count)
      for (const e of order(g.entries, anonymous)) {
        linkReason(w, e, anonymous)
        await w.breathe()
      }
    }
    const purposes = s.entries.filter((e) => e.source === 'purpose')
    if (purposes.length > 0) {
      groupHeader(w, t.purposeSource, purposes.length)
      for (const e of order(purposes, anonymous)) {
        w.ensure(40)
        w.text(e.text.trim() || t.empty, { size: 8.5, x: PAGE.left + 34, color: MUTED, maxLines: 2 })
        linkReason(w, e, anonymous)
        await w.breathe()
      }
    }
    w.gap(8)
  }

  const rows = peopleInOrder(input)
  w.heading(t.checkins)
  if (anonymous) {
    const words = rows.map((r) => r.view.checkin.trim().replace(/\s+/g, ' ')).filter(Boolean).sort()
    w.text(words.length ? words.join('  /  ') : t.nothingYet, { size: 9.5 })
  } else {
    for (const { person, view } of rows) checkinRow(w, person, view.checkin, t.empty)
  }
  w.gap(10)

  w.heading(t.purposesAndCommitments)
  const ordered = anonymous ? [...rows].sort((a, b) => a.view.purpose.localeCompare(b.view.purpose)) : rows
  for (const { person, view } of ordered) {
    w.ensure(70)
    w.gap(4)
    if (!anonymous) {
      nameLabel(w, person, PAGE.left, CONTENT_WIDTH, 10.5)
      w.gap(w.lineHeight({ size: 10.5 }))
    } else {
      w.doc.moveTo(PAGE.left, w.y).lineTo(PAGE.left + 60, w.y).lineWidth(0.6).strokeColor(RULE).stroke()
      w.gap(4)
    }
    field(w, t.purpose, view.purpose, t.empty)
    const top = view.values.filter((v) => v.text.trim()).slice(0, 3).map((v) => v.text.trim().replace(/\s+/g, ' '))
    if (top.length) field(w, t.topValues, top.join(' / '), t.empty)
    field(w, t.commitment, view.commitment, t.empty)
    if (view.autonomy.trim()) field(w, t.autonomy, view.autonomy, t.empty)
    w.gap(6)
    await w.breathe()
  }
  return w.finish(t.page)
}

function drawCover(w: PdfWriter, input: ExportInput, lang: Locale, date: string, anonymous: boolean): void {
  const t = pdf[lang]
  const c = countOutcomes(input)
  w.gap(90)
  w.text(t.reportTitle, { size: 13, color: ACCENT, face: 'bold' })
  w.gap(6)
  w.text(input.workshop.title, { size: 24, face: 'bold', lineGap: 1.35 })
  w.gap(10)
  w.text(`${t.date}: ${date}`, { size: 11, color: MUTED })
  w.gap(36)
  const stats: [string, number][] = [
    [t.participants, c.participants],
    [t.purposes, c.purposes],
    [t.values, c.values],
    [t.links, c.links],
    [t.commitments, c.commitments],
  ]
  const cellW = CONTENT_WIDTH / stats.length
  const y = w.y
  stats.forEach(([label, n], i) => {
    const x = PAGE.left + i * cellW
    w.doc.roundedRect(x + 3, y, cellW - 6, 74, 6).lineWidth(0.8).fillAndStroke('#f5f7fb', RULE)
    const num = String(n)
    const nw = w.face('bold').width(num, 24)
    w.drawLine(num, x + (cellW - nw) / 2, y + 8, { size: 24, face: 'bold', color: ACCENT, lineGap: 1.3 })
    w.textAt(label, x + 10, y + 44, { size: 8, color: MUTED, width: cellW - 20, maxLines: 2, lineGap: 1.3 })
  })
  w.y = y + 74 + 30
  if (anonymous) w.text(t.anonymousNote, { size: 9.5, color: MUTED })
  w.gap(10)
  for (const v of input.vision) w.text(`・${v.title.replace(/\s+/g, ' ')}`, { size: 10.5, maxLines: 3 })
}

function nameLabel(w: PdfWriter, person: RosterPerson, x: number, width: number, size = 9.5): void {
  const style = { size, face: 'bold' as const, width: width - 12, maxLines: 1 }
  w.dot(x + 4, w.y + w.lineHeight(style) / 2, person.color)
  w.drawLine(w.lines(person.name, style)[0] ?? '', x + 12, w.y, style)
}

/** Name (wrapped, never cut) beside the check-in word, as one row that stays on one page. */
function checkinRow(w: PdfWriter, person: RosterPerson, word: string, empty: string): void {
  const nameStyle = { size: 9.5, face: 'bold' as const, width: 150 }
  const wordStyle = { size: 9.5, width: CONTENT_WIDTH - 172, color: word.trim() ? INK : MUTED }
  const nameH = w.lines(person.name, nameStyle).length * w.lineHeight(nameStyle)
  const wordH = w.lines(word.trim() || empty, wordStyle).length * w.lineHeight(wordStyle)
  w.ensure(Math.max(nameH, wordH))
  w.dot(PAGE.left + 4, w.y + w.lineHeight(nameStyle) / 2, person.color)
  w.textAt(person.name, PAGE.left + 12, w.y, nameStyle)
  w.textAt(word.trim() || empty, PAGE.left + 172, w.y, wordStyle)
  w.y += Math.max(nameH, wordH) + 2
}

function field(w: PdfWriter, label: string, value: string, empty: string): void {
  w.ensure(30)
  w.text(label, { size: 8, color: MUTED, lineGap: 1.4 })
  w.text(value.trim() || empty, { size: 10, x: PAGE.left + 10, color: value.trim() ? INK : MUTED })
}

/** Anonymous lists carry no order that could point to a person. */
function order(entries: LinkEntry[], anonymous: boolean): LinkEntry[] {
  return anonymous ? [...entries].sort((a, b) => a.reason.localeCompare(b.reason) || a.text.localeCompare(b.text)) : entries
}

function groupHeader(w: PdfWriter, text: string, count: number): void {
  w.ensure(34)
  w.gap(2)
  w.doc.circle(PAGE.left + 16, w.y + 8, 2).fillColor(ACCENT).fill()
  const label = `${text.trim().replace(/\s+/g, ' ')}  × ${count}`
  w.text(label, { size: 9.5, face: 'bold', x: PAGE.left + 24 })
}

function linkReason(w: PdfWriter, e: LinkEntry, anonymous: boolean): void {
  const reason = e.reason.trim()
  if (anonymous && !reason) return
  const who = anonymous ? '' : `— ${e.person.name.replace(/\s+/g, ' ')}`
  w.textWithTail(reason || '—', who, { size: 9, x: PAGE.left + 34, lineGap: 1.5 }, { size: 8.5, color: MUTED })
}
