// Text rules of SPEC §2: limits count Unicode code points after trimming white space
// (String.prototype.trim covers U+3000); names and titles refuse control characters and
// bidirectional overrides, longer texts may keep line breaks and tabs.
import { z } from 'zod'

export function codePoints(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

const CONTROL = /\p{Cc}/u
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/u
// Long texts: control characters other than tab, line feed and carriage return.
const CONTROL_EXCEPT_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u

export function isCleanLine(s: string): boolean {
  return !CONTROL.test(s) && !BIDI_OVERRIDE.test(s)
}

export function isCleanText(s: string): boolean {
  return !CONTROL_EXCEPT_BREAKS.test(s)
}

/** A name or title: trimmed, 1..max code points, no control or bidi override characters. */
export function lineSchema(max: number, min = 1) {
  return z
    .string()
    .transform((s) => s.trim())
    .refine((s) => codePoints(s) >= min, { message: min === 1 ? 'must not be empty' : `needs at least ${min} characters` })
    .refine((s) => codePoints(s) <= max, { message: `at most ${max} characters` })
    .refine(isCleanLine, { message: 'contains control or direction-override characters' })
}

/** A longer text: trimmed, 0..max code points, line breaks and tabs allowed. */
export function textSchema(max: number) {
  return z
    .string()
    .transform((s) => s.trim())
    .refine((s) => codePoints(s) <= max, { message: `at most ${max} characters` })
    .refine(isCleanText, { message: 'contains control characters' })
}

/** Bound text that is only being measured (the server's document checks). */
export function withinLimit(s: string, max: number): boolean {
  if (s.length <= max) return true
  // White space around a text does not count, but a hostile client may not pad without bound.
  if (s.length > max * 4 + 64) return false
  return codePoints(s.trim()) <= max
}
