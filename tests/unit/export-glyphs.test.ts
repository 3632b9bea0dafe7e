// Text people type, made printable with Noto Sans JP: substitutes, never empty boxes or errors.
import { describe, expect, it } from 'vitest'
import { loadFaces } from '../../server/export/pdf/fonts.js'
import { printable, printableLine } from '../../server/export/pdf/glyphs.js'
import { stampSubstitutes } from '../../server/export/pdf/stamps.js'

const face = loadFaces().regular

const everyCodePointCovered = (s: string) => Array.from(s).every((c) => c === '\n' || face.has(c.codePointAt(0)!))

describe('printable', () => {
  it('passes Japanese and English through unchanged', () => {
    const s = '私は「挑戦」を大切にします。To help people grow — so that they thrive! ＡＢＣ　全角'
    expect(printable(s, face)).toBe(s)
  })

  it('replaces emoji with their code point, and stamp emoji with the stamp word', () => {
    expect(printable('hi 😀!', face)).toBe('hi [U+1F600]!')
    expect(printable('👏✨💪', face, stampSubstitutes('ja'))).toBe('[共感][素敵][応援]')
    expect(printable('👏', face, stampSubstitutes('en'))).toBe('[Resonates]')
  })

  it('gives a whole emoji sequence one substitute', () => {
    expect(printable('👨‍👩‍👧', face)).toBe('[U+1F468]')
    expect(printable('👍🏽', face)).toBe('[U+1F44D]')
  })

  it('substitutes scripts the font lacks, control characters and direction overrides', () => {
    const arabic = printable('مرحبا', face)
    expect(arabic).toBe('[U+0645][U+0631][U+062D][U+0628][U+0627]')
    expect(printable('שלום', face)).toContain('[U+05E9]')
    expect(printable('a\u0007b\u0000c', face)).toBe('a[U+0007]b[U+0000]c')
    expect(printable('x\u202Ey', face)).toMatch(/^x(\u202E|\[U\+202E\])y$/)
  })

  it('substitutes lone surrogates, which a hostile client can put in a Y.Text', () => {
    expect(printable('a\uD800b\uDFFFc', face)).toBe('a[U+D800]b[U+DFFF]c')
  })

  it('keeps line breaks, turns tabs into spaces, and makes one line when asked', () => {
    expect(printable('a\r\nb\tc\rd', face)).toBe('a\nb c\nd')
    expect(printableLine('a\nb', face)).toBe('a b')
  })

  it('leaves only code points the font has', () => {
    const hostile = '😀👏\u0007مرحبا שלום 𠮷野家 한국어 <script>alert(1)</script> \u200d\ufe0f ☃︎ ∑'
    const out = printable(hostile, face, stampSubstitutes('ja'))
    expect(everyCodePointCovered(out)).toBe(true)
    expect(out).toContain('<script>alert(1)</script>')
  })
})
