// Text people typed, made printable with one font: every code point comes out as itself or as a
// visible substitute (a stamp's word for the stamp emoji, `[U+1F600]` for other missing glyphs,
// control characters included), never as an empty box and never as an error.
import type { Face } from './fonts.js'

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' })

/** Invisible joiners and selectors: dropped when the font has no glyph for them. */
function ignorable(cp: number): boolean {
  return (
    cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0x2060 || cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || (cp >= 0xe0020 && cp <= 0xe007f) ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff)
  )
}

const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)
export const codeLabel = (cp: number) => `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`

export type Substitutes = ReadonlyMap<number, string>

/**
 * Printable text: line breaks kept as `\n` (CR, CRLF, U+2028/2029 normalised), tabs as a space,
 * other controls and glyphs the face lacks replaced. `substitutes` names words for code points
 * (the stamp emoji).
 */
export function printable(text: string, face: Face, substitutes: Substitutes = new Map()): string {
  const s = text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(/\t/g, ' ')
  // Fast path: everything is covered (the usual case for Japanese and English).
  let clean = true
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (cp === 0x0a) continue
    if (isControl(cp) || !face.has(cp)) {
      clean = false
      break
    }
  }
  if (clean) return s
  let out = ''
  for (const { segment } of segmenter.segment(s)) {
    let first = true
    for (const ch of segment) {
      const cp = ch.codePointAt(0)!
      if (cp === 0x0a) out += '\n'
      else if (isControl(cp)) out += codeLabel(cp)
      else if (face.has(cp)) out += ch
      else if (ignorable(cp)) {
        // dropped
      } else if (first) {
        // The cluster's base is missing: one substitute for the whole cluster.
        out += substitutes.get(cp) ?? codeLabel(cp)
        break
      } else out += substitutes.get(cp) ?? codeLabel(cp)
      first = false
    }
  }
  return out
}

/** One line: line breaks become spaces (names, titles, chips). */
export function printableLine(text: string, face: Face, substitutes?: Substitutes): string {
  return printable(text, face, substitutes).replace(/\n+/g, ' ')
}
