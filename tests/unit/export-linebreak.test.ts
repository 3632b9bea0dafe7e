// The PDF line breaker: English word wrap, Japanese kinsoku, unbroken runs, ellipsis.
import { describe, expect, it } from 'vitest'
import { breakLines } from '../../server/export/pdf/linebreak.js'
import { loadFaces } from '../../server/export/pdf/fonts.js'

const face = loadFaces().regular
const SIZE = 10
const widthOf = (cp: number) => face.advance(cp) * SIZE
const widthOfLine = (s: string) => face.width(s, SIZE)

const NO_START = Array.from('、。，．・：；？！ー」』）］｝〉》】ぁぃぅぇぉっゃゅょァィゥェォッャュョ')
const NO_END = Array.from('「『（［｛〈《【')

describe('breakLines', () => {
  it('wraps English at spaces and never splits a word', () => {
    const text = 'To help every colleague find the courage to try something new, so that our customers feel cared for every day.'
    const lines = breakLines(text, 120, widthOf)
    expect(lines.length).toBeGreaterThan(3)
    for (const l of lines) expect(widthOfLine(l)).toBeLessThanOrEqual(120)
    const words = new Set(text.split(' '))
    for (const l of lines) for (const w of l.split(' ')) expect(words.has(w)).toBe(true)
    expect(lines.join(' ')).toBe(text)
  })

  it('breaks Japanese between characters and keeps kinsoku characters off line starts and ends', () => {
    const text = '私は「人と人をつなぐ」ことで、誰もが自分らしく挑戦できる職場をつくり、お客様の毎日に小さな喜び（うれしさ）を届けたい。ちょっとした工夫を、ぜひ！'.repeat(6)
    for (const width of [60, 73, 97, 130, 211]) {
      const lines = breakLines(text, width, widthOf)
      expect(lines.join('')).toBe(text)
      for (const [i, l] of lines.entries()) {
        expect(widthOfLine(l)).toBeLessThanOrEqual(width)
        if (i > 0) expect(NO_START).not.toContain(Array.from(l)[0])
        if (i < lines.length - 1) expect(NO_END).not.toContain(Array.from(l).at(-1))
      }
    }
  })

  it('places a closing mark that would start a line together with the character before it', () => {
    // Width for exactly five ideographs: the sixth character is 。 and must not start line two.
    const w = widthOfLine('あいうえお')
    const lines = breakLines('あいうえお。かきく', w, widthOf)
    expect(lines[0]).toBe('あいうえ')
    expect(lines[1]!.startsWith('お。')).toBe(true)
  })

  it('cuts one unbroken 300-character run into lines that fit', () => {
    const run = 'x'.repeat(150) + 'https://example.com/'.repeat(7) + '0123456789'.repeat(1)
    const lines = breakLines(run, 200, widthOf)
    expect(lines.length).toBeGreaterThan(5)
    for (const l of lines) expect(widthOfLine(l)).toBeLessThanOrEqual(200)
    expect(lines.join('')).toBe(run)
  })

  it('fills lines when a run has no legal break at all', () => {
    for (const ch of ['ー', '。', '\u0301']) {
      const run = (ch === '\u0301' ? 'e' : '') + ch.repeat(300)
      const lines = breakLines(run, 100, widthOf)
      expect(lines.join('')).toBe(run)
      for (const l of lines.slice(0, -1)) expect(widthOfLine(l)).toBeGreaterThan(100 - widthOf(ch.codePointAt(0)!) * 2 - 1)
      for (const l of lines) expect(widthOfLine(l)).toBeLessThanOrEqual(100)
    }
  })

  it('keeps hard line breaks and mixes scripts', () => {
    const lines = breakLines('Hello 世界\n\nsecond パラグラフ', 500, widthOf)
    expect(lines).toEqual(['Hello 世界', '', 'second パラグラフ'])
  })

  it('never separates a combining mark from its base', () => {
    const text = 'e\u0301'.repeat(80)
    const lines = breakLines(text, 50, widthOf)
    for (const l of lines) expect(l.startsWith('\u0301')).toBe(false)
    expect(lines.join('')).toBe(text)
  })

  it('ends the last kept line with an ellipsis when lines are limited', () => {
    const lines = breakLines('あ'.repeat(100), 50, widthOf, { maxLines: 2 })
    expect(lines).toHaveLength(2)
    expect(lines[1]!.endsWith('…')).toBe(true)
    expect(widthOfLine(lines[1]!)).toBeLessThanOrEqual(50)
  })

  it('stays linear on long input', () => {
    const text = ('長い文章と long words '.repeat(2000))
    const t = performance.now()
    const lines = breakLines(text, 300, widthOf)
    expect(lines.length).toBeGreaterThan(100)
    // Generous bound: a quadratic breaker takes seconds here.
    expect(performance.now() - t).toBeLessThan(1000)
  })
})
