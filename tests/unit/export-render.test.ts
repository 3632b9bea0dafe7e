// The report and the sheet rendered directly from a sample workshop (real Y.Docs): every text is
// extractable with pdftotext, fonts are embedded subsets, hostile text comes out as text or a
// visible substitute. Pages are also rendered to tests/artifacts/ for looking at.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSample, fill } from '../../server/export/sample.js'
import { renderReport } from '../../server/export/report.js'
import { renderSheet } from '../../server/export/sheet.js'
import { loadFaces } from '../../server/export/pdf/fonts.js'
import { printable } from '../../server/export/pdf/glyphs.js'
import { stampSubstitutes } from '../../server/export/pdf/stamps.js'
import { pdf } from '../../shared/i18n/pdf.js'
import { STAMP_INFO } from '../../shared/deck.js'

const ARTIFACTS = path.resolve('tests/artifacts')
mkdirSync(ARTIFACTS, { recursive: true })
const face = loadFaces().regular

function save(name: string, bytes: Buffer, pages?: [number, number]): string {
  const file = path.join(ARTIFACTS, name)
  writeFileSync(file, bytes)
  if (pages) execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(pages[0]), '-l', String(pages[1]), file, file.replace(/\.pdf$/, '')])
  return file
}

/**
 * Text of a PDF's page bodies (the header band above 48 pt and the footer band below 798 pt are
 * cropped away), with white space dropped. Hyphens are dropped too, on both sides of a comparison:
 * pdftotext joins a word hyphenated at a line end.
 */
function extract(file: string): string {
  const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', '-x', '0', '-y', '48', '-W', '596', '-H', '750', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 })
  return squash(raw)
}
const squash = (s: string) => s.replace(/[\s-]+/g, '')
const fonts = (file: string) => execFileSync('pdffonts', [file], { encoding: 'utf8' })
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])

function expectEmbeddedSubsets(file: string) {
  const rows = fonts(file).split('\n').slice(2).filter(Boolean)
  expect(rows.length).toBeGreaterThanOrEqual(1)
  for (const row of rows) expect(row).toMatch(/^[A-Z]{6}\+NotoSansJP-\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
}

function expectOnlyCoveredGlyphs(text: string) {
  const missing = Array.from(text).filter((c) => !face.has(c.codePointAt(0)!))
  expect(missing).toEqual([])
}

const RUN = fill('https://example.com/a-very-long-path/', 300)
const HOSTILE = {
  name: '<script>alert("x")</script>',
  purpose: fill('私は人と人をつなぐことで、誰もが自分らしく挑戦できる職場をつくり、お客様に喜びを届けたい。', 300),
  commitment: RUN,
  value: '👏✨💪 😀 مرحبا',
  reason: 'שלום עולם 👨‍👩‍👧 \u0007 <b>bold</b> ' + fill('理由', 150),
  checkin: 'ok\u0007😀\uD800',
}

describe('report PDF', () => {
  it('renders 10 participants with every name, purpose, value, reason and commitment extractable (ja)', async () => {
    const s = buildSample({ participants: 10, maxText: false })
    const bytes = await renderReport(s.input, 'ja')
    const file = save('unit-report-10-ja.pdf', bytes, [1, 3])
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    expectEmbeddedSubsets(file)
    const text = extract(file)
    expectOnlyCoveredGlyphs(text)
    for (const r of s.input.roster) expect(text).toContain(squash(r.name))
    for (const p of s.input.people) {
      expect(text).toContain(squash(p.purpose))
      expect(text).toContain(squash(p.commitment))
      expect(text).toContain(squash(p.autonomy))
      expect(text).toContain(squash(p.checkin))
      for (const l of p.links) expect(text).toContain(squash(l.reason))
      for (const v of p.values.slice(0, 3)) expect(text).toContain(squash(v.text))
    }
    for (const v of s.input.vision) expect(text).toContain(squash(v.title))
    expect(text).toContain(squash(pdf.ja.visionMap))
  })

  it('renders in English and without names when anonymous', async () => {
    const s = buildSample({ participants: 6, maxText: false })
    const named = save('unit-report-en.pdf', await renderReport(s.input, 'en'))
    const anon = save('unit-report-anon.pdf', await renderReport(s.input, 'en', { anonymous: true }), [1, 1])
    const namedText = extract(named)
    const anonText = extract(anon)
    expect(namedText).toContain(squash(pdf.en.visionMap))
    for (const r of s.input.roster) {
      expect(namedText).toContain(squash(r.name))
      expect(anonText).not.toContain(squash(r.name))
    }
    for (const p of s.input.people) expect(anonText).toContain(squash(p.purpose))
    expect(anonText).toContain(squash(pdf.en.anonymousNote))
  })

  it('prints hostile text as text or a visible substitute', async () => {
    const s = buildSample({ participants: 3, maxText: false, hostile: HOSTILE })
    const file = save('unit-report-hostile.pdf', await renderReport(s.input, 'ja'), [1, 4])
    const text = extract(file)
    expectOnlyCoveredGlyphs(text)
    const subs = stampSubstitutes('ja')
    for (const value of Object.values(HOSTILE)) expect(text).toContain(squash(printable(value, face, subs)))
    expect(text).toContain('<script>alert("x")</script>')
    expect(text).toContain('[U+1F600]')
    expect(text).toContain(`[${STAMP_INFO.resonates.ja}]`)
  })

  it('renders concurrent exports that share the fonts without mixing them up', async () => {
    const a = buildSample({ participants: 12, maxText: false })
    const b = buildSample({ participants: 4, maxText: false, hostile: { name: 'Concurrent Name Zeta' } })
    const [ra, rb, sb] = await Promise.all([
      renderReport(a.input, 'ja'),
      renderReport(b.input, 'en'),
      renderSheet(b.input, 'en', { participantId: b.input.roster[0]!.participantId, notebook: b.notebook(b.input.roster[0]!.participantId) }),
    ])
    const ta = extract(save('unit-concurrent-a.pdf', ra))
    const tb = extract(save('unit-concurrent-b.pdf', rb))
    const ts = extract(save('unit-concurrent-sheet.pdf', sb))
    for (const r of a.input.roster) expect(ta).toContain(squash(r.name))
    expect(ta).not.toContain('ConcurrentNameZeta')
    expect(tb).toContain('ConcurrentNameZeta')
    expect(ts).toContain('ConcurrentNameZeta')
    expectEmbeddedSubsets(path.join(ARTIFACTS, 'unit-concurrent-sheet.pdf'))
  })

  it('stays within bounds for 60 participants at maximum length', async () => {
    const s = buildSample({ participants: 60 })
    const bytes = await renderReport(s.input, 'ja')
    const file = save('unit-report-60.pdf', bytes, [2, 3])
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024)
    expectEmbeddedSubsets(file)
    const text = extract(file)
    for (const r of s.input.roster) expect(text).toContain(squash(r.name))
  })
})

describe('sheet PDF', () => {
  it("prints one participant's outcomes and, in their own copy, the notebook", async () => {
    const s = buildSample({ participants: 8, maxText: false })
    const me = s.input.roster[1]!
    const view = s.input.people.find((p) => p.participantId === me.participantId)!
    const own = save('unit-sheet-own.pdf', await renderSheet(s.input, 'ja', { participantId: me.participantId, notebook: s.notebook(me.participantId) }), [1, 2])
    const copy = save('unit-sheet-facilitator.pdf', await renderSheet(s.input, 'ja', { participantId: me.participantId, notebook: null }))
    expect(pageCount(own)).toBeLessThanOrEqual(2)
    expect(pageCount(copy)).toBe(1)
    expectEmbeddedSubsets(own)
    const ownText = extract(own)
    const copyText = extract(copy)
    for (const t of [ownText, copyText]) {
      expect(t).toContain(squash(me.name))
      expect(t).toContain(squash(view.purpose))
      expect(t).toContain(squash(view.commitment))
      expect(t).toContain(squash(view.autonomy))
      for (const v of view.values.slice(0, 3)) expect(t).toContain(squash(v.text))
      for (const l of view.links) expect(t).toContain(squash(l.reason))
      expect(t).toContain(squash(`${STAMP_INFO.resonates.ja}× `))
    }
    const nb = s.notebook(me.participantId)
    expect(ownText).toContain(squash(pdf.ja.lifeStory))
    expect(ownText).toContain(squash(nb.story[0]!.when))
    expect(ownText).toContain('誠実')
    expect(ownText).toContain('見知らぬ人への優しさ')
    expect(copyText).not.toContain(squash(pdf.ja.lifeStory))
    expect(copyText).not.toContain('見知らぬ人への優しさ')
  })

  it('renders hostile text and the maximum notebook without error', async () => {
    const s = buildSample({ participants: 3, hostile: HOSTILE })
    const me = s.input.roster[0]!
    const file = save('unit-sheet-hostile.pdf', await renderSheet(s.input, 'en', { participantId: me.participantId, notebook: s.notebook(me.participantId) }), [1, 2])
    const text = extract(file)
    expectOnlyCoveredGlyphs(text)
    const subs = stampSubstitutes('en')
    for (const key of ['name', 'purpose', 'commitment', 'value'] as const) expect(text).toContain(squash(printable(HOSTILE[key], face, subs)))
    expect(text).toContain(squash(printable(HOSTILE.reason, face, subs)))
    expect(text).toContain('[Resonates][Inspiring][Cheeringyouon]')
  })

  it('renders an empty workshop and a participant who wrote nothing', async () => {
    const s = buildSample({ participants: 1, maxText: false })
    const nobody = { participantId: 'silent-one', name: '無言 さん', color: 'not-a-colour', joinedAt: 1 }
    const input = { ...s.input, roster: [nobody], people: [] }
    const report = save('unit-report-empty.pdf', await renderReport(input, 'ja'))
    const text = extract(report)
    expect(text).toContain('無言さん')
    expect(text).toContain(squash(pdf.ja.noLinks))
    const none = save('unit-report-nobody.pdf', await renderReport({ ...input, roster: [] }, 'en'))
    expect(pageCount(none)).toBeGreaterThanOrEqual(3)
    const sheet = save('unit-sheet-empty.pdf', await renderSheet(input, 'en', { participantId: 'silent-one', notebook: { story: [], cards: {}, drafts: {} } }))
    const sheetText = extract(sheet)
    expect(sheetText).toContain(squash(pdf.en.empty))
    expect(sheetText).toContain(squash(pdf.en.nothingYet))
    const one = { story: [{ id: 'a', when: '', text: '', level: 9 }], cards: { 'custom-x': 'very' as const }, drafts: {} }
    const single = save('unit-sheet-single.pdf', await renderSheet(input, 'en', { participantId: 'silent-one', notebook: one }))
    expect(extract(single)).toContain(squash(pdf.en.customCard))
  })

  it('refuses a participant who is not on the roster', async () => {
    const s = buildSample({ participants: 2, maxText: false })
    await expect(renderSheet(s.input, 'ja', { participantId: 'nobody-here' })).rejects.toThrow()
  })
})
