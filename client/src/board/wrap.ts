// Line breaking for SVG text, which has none: estimated glyph widths (full-width characters take
// one em, others a little over half), breaking at spaces for Latin text and anywhere for CJK.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{1F300}-\u{1FAFF}]|[\u{20000}-\u{3FFFD}]/u

export function charWidth(ch: string, fontSize: number): number {
  if (WIDE.test(ch)) return fontSize
  if (ch === ' ') return fontSize * 0.3
  if (/[A-Z@%MW]/.test(ch)) return fontSize * 0.68
  return fontSize * 0.58
}

export function textWidth(s: string, fontSize: number): number {
  let w = 0
  for (const ch of s) w += charWidth(ch, fontSize)
  return w
}

/**
 * Up to `maxLines` lines no wider than `width`; the last one ends with "…" when text was cut.
 * `bold` text is measured wider, as it is drawn.
 */
export function wrapText(text: string, width: number, fontSize: number, maxLines: number, bold = false): string[] {
  if (bold) width /= 1.1
  const lines: string[] = []
  for (const para of text.replace(/\t/g, ' ').split(/\r?\n/)) {
    let line = ''
    let lineW = 0
    let lastSpace = -1
    for (const ch of para) {
      const w = charWidth(ch, fontSize)
      if (lineW + w > width && line) {
        if (ch !== ' ' && lastSpace > 0 && !WIDE.test(ch)) {
          lines.push(line.slice(0, lastSpace))
          line = line.slice(lastSpace + 1)
        } else {
          lines.push(line)
          line = ''
        }
        lineW = textWidth(line, fontSize)
        lastSpace = -1
        if (ch === ' ' && !line) continue
      }
      if (ch === ' ') lastSpace = line.length
      line += ch
      lineW += w
      if (lines.length > maxLines) break
    }
    lines.push(line)
    if (lines.length > maxLines) break
  }
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines)
    kept[maxLines - 1] = ellipsize(kept[maxLines - 1]!, width, fontSize)
    return kept
  }
  return lines
}

function ellipsize(line: string, width: number, fontSize: number): string {
  const chars = [...line]
  while (chars.length && textWidth(chars.join('') + '…', fontSize) > width) chars.pop()
  return chars.join('').trimEnd() + '…'
}
