// Writing people's text into Yjs without growing documents needlessly: a textarea's new value is
// applied as the smallest splice, and every text is clamped to its limit before it is written
// (the server rejects an over-long text whole, and a rejected document is lost for good).
import * as Y from 'yjs'
import { codePoints } from '../../../shared/text'

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff

/** The first `max` code points of `s`. */
export function clampText(s: string, max: number): string {
  if (s.length <= max) return s
  if (codePoints(s) <= max) return s
  let out = ''
  let n = 0
  for (const ch of s) {
    if (n++ >= max) break
    out += ch
  }
  return out
}

/** Replaces the content of `text` with `next` by one splice around the common prefix and suffix. */
export function setText(text: Y.Text, next: string): void {
  const prev = text.toString()
  if (prev === next) return
  const min = Math.min(prev.length, next.length)
  let start = 0
  while (start < min && prev.charCodeAt(start) === next.charCodeAt(start)) start++
  if (start > 0 && isHigh(prev.charCodeAt(start - 1))) start--
  let endPrev = prev.length
  let endNext = next.length
  while (endPrev > start && endNext > start && prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)) {
    endPrev--
    endNext--
  }
  if (endPrev < prev.length && isLow(prev.charCodeAt(endPrev))) {
    endPrev++
    endNext++
  }
  const apply = () => {
    if (endPrev > start) text.delete(start, endPrev - start)
    if (endNext > start) text.insert(start, next.slice(start, endNext))
  }
  if (text.doc) text.doc.transact(apply)
  else apply()
}

/** Text as published: trimmed (U+3000 included) and within its limit. */
export function publishable(s: string, max: number): string {
  return clampText(s.trim(), max)
}
