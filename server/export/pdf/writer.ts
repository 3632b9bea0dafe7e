// A4 page flow on pdfkit: one cursor, text placed line by line with our own line breaker, a
// header (workshop title and date) and "n / N" page numbers added to every page at the end.
import PDFDocument from 'pdfkit'
import { loadFaces, type Face, type FontFace } from './fonts.js'
import { printable, printableLine, type Substitutes } from './glyphs.js'
import { breakLines } from './linebreak.js'

export const PAGE = { width: 595.28, height: 841.89, left: 48, right: 48, top: 64, bottom: 56 } as const
export const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right
export const INK = '#1f2328'
export const MUTED = '#5b636e'
export const RULE = '#d0d5dc'
export const ACCENT = '#3f5fa8'

export type TextStyle = {
  size?: number
  face?: FontFace
  color?: string
  /** Left edge; defaults to the page's left margin. */
  x?: number
  width?: number
  lineGap?: number
  maxLines?: number
}

export type WriterOptions = { title: string; header: string; date: string; lang: 'ja' | 'en'; substitutes: Substitutes }

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument
  readonly faces = loadFaces()
  y: number = PAGE.top
  private readonly chunks: Buffer[] = []
  private readonly ended: Promise<Buffer>

  constructor(private readonly opts: WriterOptions) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      bufferPages: true,
      lang: opts.lang,
      info: { Title: Array.from(printableLine(opts.title, this.faces.regular)).slice(0, 200).join(''), Creator: 'Kasane', Producer: 'Kasane' },
    })
    this.doc.on('data', (c: Buffer) => this.chunks.push(c))
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)))
      this.doc.on('error', reject)
    })
    this.doc.registerFont('regular', this.faces.regular.font as never)
    this.doc.registerFont('bold', this.faces.bold.font as never)
    this.doc.font('regular')
  }

  face(f: FontFace = 'regular'): Face {
    return this.faces[f]
  }

  get bottom(): number {
    return PAGE.height - PAGE.bottom
  }

  newPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 })
    this.y = PAGE.top
  }

  /** Starts a new page unless `height` more fits on this one. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage()
  }

  /** Lines of people's text, made printable and broken to `width` at `size`. */
  lines(text: string, style: TextStyle = {}): string[] {
    const face = this.face(style.face)
    const size = style.size ?? 10
    const width = style.width ?? CONTENT_WIDTH - ((style.x ?? PAGE.left) - PAGE.left)
    const p = printable(text, face, this.opts.substitutes)
    return breakLines(p, width, (cp) => face.advance(cp) * size, { maxLines: style.maxLines })
  }

  lineHeight(style: TextStyle = {}): number {
    return (style.size ?? 10) * (style.lineGap ?? 1.55)
  }

  /** Draws one already-printable line in the line box starting at `top`, cursor untouched. */
  drawLine(line: string, x: number, top: number, style: TextStyle = {}): void {
    const size = style.size ?? 10
    this.doc.font(style.face ?? 'regular').fontSize(size).fillColor(style.color ?? INK)
    // Baseline so that CJK ideographs (about 0.88 em above it) sit centred in the line box.
    const baseline = top + this.lineHeight(style) / 2 + size * 0.36
    // textWidth/wordCount spare pdfkit a second layout of the line (they only size links and underlines).
    this.doc.text(line, x, baseline, { lineBreak: false, baseline: 'alphabetic', textWidth: 0, wordCount: 1 } as PDFKit.Mixins.TextOptions)
  }

  /** Flowing text at the cursor, continuing on new pages as needed. Returns the lines drawn. */
  text(text: string, style: TextStyle = {}): number {
    const lh = this.lineHeight(style)
    const x = style.x ?? PAGE.left
    const lines = this.lines(text, style)
    for (const line of lines) {
      this.ensure(lh)
      if (line) this.drawLine(line, x, this.y, style)
      this.y += lh
    }
    return lines.length
  }

  /**
   * Flowing text followed by a short tail (a name) that is never split: it ends the last line
   * when it fits there, else it takes a line of its own.
   */
  textWithTail(text: string, tail: string, style: TextStyle, tailStyle: TextStyle): void {
    const x = style.x ?? PAGE.left
    const width = style.width ?? CONTENT_WIDTH - (x - PAGE.left)
    const lh = this.lineHeight(style)
    const lines = this.lines(text, { ...style, x, width })
    const tailLine = tail ? (this.lines(tail, { ...style, ...tailStyle, x, width, maxLines: 1 })[0] ?? '') : ''
    const tailW = this.face(tailStyle.face).width(tailLine, tailStyle.size ?? style.size ?? 10)
    const gap = (style.size ?? 10) * 0.8
    lines.forEach((line, i) => {
      this.ensure(lh)
      if (line) this.drawLine(line, x, this.y, style)
      if (i === lines.length - 1 && tailLine) {
        const end = this.face(style.face).width(line, style.size ?? 10)
        if (end + gap + tailW <= width) this.drawLine(tailLine, x + (line ? end + gap : 0), this.y, { ...style, ...tailStyle })
        else {
          this.y += lh
          this.ensure(lh)
          this.drawLine(tailLine, x, this.y, { ...style, ...tailStyle })
        }
      }
      this.y += lh
    })
  }

  /** Text lines placed in a box without touching the cursor; returns the height used. */
  textAt(text: string, x: number, y: number, style: TextStyle = {}): number {
    const lh = this.lineHeight(style)
    const lines = this.lines(text, { ...style, x })
    lines.forEach((line, i) => line && this.drawLine(line, x, y + i * lh, style))
    return lines.length * lh
  }

  heading(text: string, size = 15, keepWithNext = 60): void {
    this.ensure(size * 2 + keepWithNext)
    this.y += size * 0.4
    this.text(text, { size, face: 'bold', color: INK, lineGap: 1.4 })
    this.doc.moveTo(PAGE.left, this.y).lineTo(PAGE.width - PAGE.right, this.y).lineWidth(0.6).strokeColor(RULE).stroke()
    this.y += size * 0.5
  }

  subheading(text: string, size = 11, keepWithNext = 30): void {
    this.ensure(size * 1.6 + keepWithNext)
    this.y += 4
    this.text(text, { size, face: 'bold', color: ACCENT, lineGap: 1.45 })
  }

  private lastYield = performance.now()

  /**
   * Lets the event loop run when this export has held it for a while: a long report must not
   * stall the live board of every other workshop on this node.
   */
  async breathe(): Promise<void> {
    if (performance.now() - this.lastYield < 15) return
    await new Promise<void>((resolve) => setImmediate(resolve))
    this.lastYield = performance.now()
  }

  gap(h: number): void {
    this.y += h
  }

  /** A small filled circle in a participant's colour (only `#rrggbb` is trusted). */
  dot(x: number, y: number, color: string, r = 3.2): void {
    const c = /^#[0-9a-fA-F]{6}$/.test(color) ? color : MUTED
    this.doc.circle(x, y, r).fillColor(c).fill()
  }

  /** Adds the header and page numbers to every page and returns the finished file. */
  async finish(pageLabel: (n: number, total: number) => string): Promise<Buffer> {
    const range = this.doc.bufferedPageRange()
    const total = range.count
    const header = printableLine(this.opts.header, this.faces.regular)
    const headerLines = breakLines(header, CONTENT_WIDTH - 140, (cp) => this.faces.regular.advance(cp) * 8, { maxLines: 1 })
    for (let i = 0; i < total; i++) {
      this.doc.switchToPage(range.start + i)
      this.drawLine(headerLines[0] ?? '', PAGE.left, 24, { size: 8, color: MUTED })
      const date = printableLine(this.opts.date, this.faces.regular)
      const dw = this.faces.regular.width(date, 8)
      this.drawLine(date, PAGE.width - PAGE.right - dw, 24, { size: 8, color: MUTED })
      this.doc.moveTo(PAGE.left, 44).lineTo(PAGE.width - PAGE.right, 44).lineWidth(0.5).strokeColor(RULE).stroke()
      const label = pageLabel(i + 1, total)
      const lw = this.faces.regular.width(label, 8)
      this.drawLine(label, (PAGE.width - lw) / 2, PAGE.height - 38, { size: 8, color: MUTED })
    }
    this.doc.end()
    return this.ended
  }
}
