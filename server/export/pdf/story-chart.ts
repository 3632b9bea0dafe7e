// The life story as a motivation chart: moments in order along x, feeling from −5 to +5 on y, a
// vector line through them, each point labelled with its `when`.
import type { MomentView } from '../../../shared/layout.js'
import { ACCENT, CONTENT_WIDTH, INK, MUTED, PAGE, RULE, type PdfWriter } from './writer.js'

export function drawStoryChart(w: PdfWriter, story: MomentView[], height = 200): void {
  const doc = w.doc
  const x0 = PAGE.left + 22
  const x1 = PAGE.left + CONTENT_WIDTH - 8
  const top = w.y + 6
  const plotH = height - 46
  const yOf = (level: number) => top + ((5 - level) / 10) * plotH
  for (let level = -5; level <= 5; level++) {
    const y = yOf(level)
    doc.moveTo(x0, y).lineTo(x1, y).lineWidth(level === 0 ? 0.9 : 0.3).strokeColor(level === 0 ? '#8a93a0' : RULE).stroke()
    if (level % 5 === 0) {
      const label = level > 0 ? `+${level}` : String(level)
      w.drawLine(label, PAGE.left, y - 6, { size: 7, color: MUTED, lineGap: 12 / 7 })
    }
  }
  const n = story.length
  if (n > 0) {
    const step = n === 1 ? 0 : (x1 - x0 - 30) / (n - 1)
    const pts = story.map((m, i) => ({ x: n === 1 ? (x0 + x1) / 2 : x0 + 15 + i * step, y: yOf(m.level), m }))
    doc.moveTo(pts[0]!.x, pts[0]!.y)
    for (const p of pts.slice(1)) doc.lineTo(p.x, p.y)
    doc.lineWidth(1.6).strokeColor(ACCENT).stroke()
    // Labels: staggered rows below the plot so neighbours do not collide.
    const rows = n > 14 ? 3 : 2
    const labelW = n === 1 ? 110 : Math.max(30, Math.min(110, step * rows - 4))
    pts.forEach((p, i) => {
      doc.circle(p.x, p.y, 2.8).fillColor(p.m.level >= 0 ? ACCENT : '#c0533f').fill()
      const style = { size: 7, color: INK, width: labelW, maxLines: 1, lineGap: 1.3 }
      const label = w.lines(p.m.when.trim() || String(i + 1), style)[0] ?? ''
      const lw = w.face().width(label, 7)
      const ly = top + plotH + 6 + (i % rows) * 11
      doc.moveTo(p.x, top + plotH).lineTo(p.x, ly + 1).lineWidth(0.3).strokeColor(RULE).stroke()
      w.drawLine(label, Math.max(PAGE.left, Math.min(p.x - lw / 2, x1 - lw)), ly, style)
    })
  }
  w.y = top + height - 14
}
