// Line breaking for Japanese and English: words stay whole, CJK text breaks between characters,
// kinsoku rules keep closing marks off a line's start and opening marks off its end, and a run
// with no break opportunity (a 300-character URL) is cut where it overflows. Linear in the text.

// May not start a line.
const NO_START = new Set(
  Array.from('、。，．,.・：；:;？！?!ー‐－–—〜～…‥」』）］｝〉》】〕〙〛)]}»’”ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ%％‰℃゛゜').map((c) => c.codePointAt(0)!),
)
// May not end a line.
const NO_END = new Set(Array.from('「『（［｛〈《【〔〘〚([{«‘“￥$＄#＃').map((c) => c.codePointAt(0)!))

export function isCJK(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) || // radicals, CJK symbols, kana, CJK unified
    (cp >= 0xac00 && cp <= 0xd7af) || // hangul
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xffef) || // full- and half-width forms
    (cp >= 0x20000 && cp <= 0x3ffff)
  )
}

const isSpace = (cp: number) => cp === 0x20 || cp === 0x3000 || cp === 0xa0
const JOINS_PREVIOUS = /[\p{M}\u200d\ufe00-\ufe0f]/u

/** Whether a line may break between code points `a` and `b`. */
export function canBreakBetween(a: number, b: number, bChar: string): boolean {
  if (isSpace(b)) return false
  if (JOINS_PREVIOUS.test(bChar) || a === 0x200d) return false
  if (NO_START.has(b) || NO_END.has(a)) return false
  if (isSpace(a)) return true
  if (a === 0x2d || a === 0x2f) return !isSpace(b) && b > 0x40 // after a hyphen or slash in a word
  return isCJK(a) || isCJK(b)
}

export type BreakOptions = { maxLines?: number; ellipsis?: string }

/**
 * Lines of `text` no wider than `maxWidth`, where `widthOf` gives one code point's width. Hard
 * breaks (`\n`) are kept; with `maxLines` the last kept line ends in an ellipsis.
 */
export function breakLines(text: string, maxWidth: number, widthOf: (cp: number) => number, opts: BreakOptions = {}): string[] {
  const lines: string[] = []
  const max = opts.maxLines ?? Infinity
  for (const para of text.split('\n')) {
    breakParagraph(para, maxWidth, widthOf, lines)
    if (lines.length > max) break
  }
  if (lines.length <= max) return lines
  const kept = lines.slice(0, max)
  const ellipsis = opts.ellipsis ?? '…'
  const ew = widthOf(ellipsis.codePointAt(0)!)
  const last = Array.from(kept[max - 1]!)
  let w = last.reduce((s, c) => s + widthOf(c.codePointAt(0)!), 0)
  while (last.length > 0 && w + ew > maxWidth) w -= widthOf(last.pop()!.codePointAt(0)!)
  kept[max - 1] = last.join('').trimEnd() + ellipsis
  return kept
}

function breakParagraph(para: string, maxWidth: number, widthOf: (cp: number) => number, out: string[]): void {
  const chars = Array.from(para)
  const cps = chars.map((c) => c.codePointAt(0)!)
  const widths = cps.map(widthOf)
  const n = chars.length
  const emit = (from: number, to: number) => out.push(chars.slice(from, to).join('').replace(/[ \u3000\u00a0]+$/u, ''))
  let start = 0
  if (n === 0) {
    out.push('')
    return
  }
  let width = 0
  let lastBreak = -1 // index i such that a break before i is allowed, i > start
  for (let i = start; i < n; i++) {
    if (i > start && canBreakBetween(cps[i - 1]!, cps[i]!, chars[i]!)) lastBreak = i
    width += widths[i]!
    if (width <= maxWidth || i === start || isSpace(cps[i]!)) continue
    let cut: number
    if (lastBreak > start) cut = lastBreak
    else {
      // No opportunity: cut at the overflow, keeping marks and kinsoku where the line allows.
      const bound = (k: number) => JOINS_PREVIOUS.test(chars[k]!) || NO_START.has(cps[k]!)
      let k = i
      while (k > start + 1 && bound(k)) k--
      // A run with no legal place at all (300 × 'ー') is cut where it overflows.
      cut = bound(k) ? i : k
    }
    emit(start, cut)
    start = cut
    while (start < n && isSpace(cps[start]!)) start++
    // Measure the new line again from its start (at most one line's worth of characters).
    width = 0
    lastBreak = -1
    i = start - 1
  }
  if (start < n) emit(start, n)
}
