// Counted phrases read right in both languages: one participant, two participants; Japanese has one
// form for every count.
import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { common } from '../../shared/i18n/common.js'
import { phases } from '../../shared/i18n/phases.js'

async function tFor(lng: 'en' | 'ja') {
  const i = i18next.createInstance()
  await i.init({ resources: { en: { common: common.en }, ja: { common: common.ja } }, lng, fallbackLng: 'en', defaultNS: 'common', interpolation: { escapeValue: false } })
  return i.t.bind(i) as (key: string, options: { count: number }) => string
}

describe('counted phrases', () => {
  it('are singular for one and plural otherwise in English', async () => {
    const t = await tFor('en')
    expect(t('facilitator.participants', { count: 1 })).toBe('1 participant')
    expect(t('facilitator.participants', { count: 40 })).toBe('40 participants')
    expect(t('progress.values', { count: 1 })).toBe('1 value published')
    expect(t('progress.values', { count: 0 })).toBe('0 values published')
    expect(t('progress.links', { count: 1 })).toBe('1 link')
    expect(t('progress.links', { count: 2 })).toBe('2 links')
    expect(t('progress.stamps', { count: 1 })).toBe('1 stamp sent')
    expect(t('progress.stamps', { count: 3 })).toBe('3 stamps sent')
  })

  it('take one form in Japanese', async () => {
    const t = await tFor('ja')
    expect(t('facilitator.participants', { count: 1 })).toBe('参加者 1 人')
    expect(t('progress.stamps', { count: 1 })).toBe('スタンプ 1 個送信')
    expect(t('progress.stamps', { count: 5 })).toBe('スタンプ 5 個送信')
  })

  it('come in both forms wherever an English phrase counts', () => {
    const leaves = (o: object, prefix = ''): [string, unknown][] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? leaves(v as object, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]]))
    const found: string[] = []
    for (const catalog of [common.en, phases.en]) {
      const all = leaves(catalog)
      const keys = all.map(([k]) => k)
      // A number before a noun ("3 links") needs its singular; "3 of 5", "(3)" or "3 / 5" do not.
      const counted = all.filter(([, v]) => /\{\{count\}\} (?!of\b)[a-z]/.test(String(v))).map(([k]) => k)
      for (const k of counted) expect(k, k).toMatch(/_(one|other)$/)
      for (const k of counted) expect(keys, k).toContain(k.replace(/_(one|other)$/, k.endsWith('_one') ? '_other' : '_one'))
      found.push(...counted)
    }
    // The search itself finds what it looks for.
    expect(found).toContain('progress.stamps_one')
  })
})
