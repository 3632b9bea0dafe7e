// Stamps drawn as small vector badges with their word (the emoji are not in the font), and the
// stamp emoji's words as text substitutes.
import type { Locale } from '../../../shared/protocol.js'
import { STAMPS, type Stamp } from '../../../shared/layout.js'
import { STAMP_INFO } from '../../../shared/deck.js'
import type { PdfWriter } from './writer.js'
import { INK } from './writer.js'

const STAMP_COLOR: Record<Stamp, string> = { resonates: '#e07a3f', inspiring: '#d4a417', cheering: '#3f8f6b' }

/** Words standing in for the stamp emoji wherever people typed them. */
export function stampSubstitutes(lang: Locale): Map<number, string> {
  return new Map(STAMPS.map((s) => [STAMP_INFO[s].icon.codePointAt(0)!, `[${STAMP_INFO[s][lang]}]`]))
}

function drawIcon(w: PdfWriter, stamp: Stamp, cx: number, cy: number, r: number): void {
  const doc = w.doc
  doc.circle(cx, cy, r).fillColor(STAMP_COLOR[stamp]).fill()
  doc.fillColor('#ffffff').strokeColor('#ffffff')
  if (stamp === 'inspiring') {
    // A four-pointed sparkle.
    const k = r * 0.62
    const q = r * 0.16
    doc.polygon([cx, cy - k], [cx + q, cy - q], [cx + k, cy], [cx + q, cy + q], [cx, cy + k], [cx - q, cy + q], [cx - k, cy], [cx - q, cy - q]).fill()
  } else if (stamp === 'resonates') {
    // Two small hearts-like arcs: two circles meeting, echoing a clap.
    doc.circle(cx - r * 0.22, cy, r * 0.32).fill()
    doc.circle(cx + r * 0.22, cy, r * 0.32).fill()
  } else {
    // A raised arrow: cheering on.
    doc.polygon([cx, cy - r * 0.6], [cx + r * 0.45, cy - r * 0.05], [cx + r * 0.17, cy - r * 0.05], [cx + r * 0.17, cy + r * 0.55], [cx - r * 0.17, cy + r * 0.55], [cx - r * 0.17, cy - r * 0.05], [cx - r * 0.45, cy - r * 0.05]).fill()
  }
}

/** A row of badges "icon word ×n" for every stamp; returns the height used. */
export function drawStampRow(w: PdfWriter, counts: Record<Stamp, number>, lang: Locale, x: number, y: number): number {
  const size = 10
  const h = 24
  let cx = x
  for (const s of STAMPS) {
    const label = `${STAMP_INFO[s][lang]}  × ${counts[s]}`
    const tw = w.face('bold').width(label, size)
    const bw = tw + 36
    w.doc.roundedRect(cx, y, bw, h, h / 2).lineWidth(0.8).strokeColor(STAMP_COLOR[s]).stroke()
    drawIcon(w, s, cx + 13, y + h / 2, 8)
    w.drawLine(label, cx + 26, y + (h - w.lineHeight({ size })) / 2, { size, face: 'bold', color: INK })
    cx += bw + 10
  }
  return h
}
