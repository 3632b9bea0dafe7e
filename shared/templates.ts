// Workshop templates as data (WORKSHOP.md): the facilitator may rename, re-time and skip phases,
// so the server copies a template's phases into each workshop in the workshop's locale.
import type { Locale, Phase, PhaseKind } from './protocol.js'

type Localized = Record<Locale, string>
export type PhaseTemplate = { id: string; kind: PhaseKind; minutes: number; title: Localized; prompt: Localized }
export type Template = { id: string; phases: PhaseTemplate[] }

const myPurpose: Template = {
  id: 'my-purpose',
  phases: [
    {
      id: 'checkin', kind: 'checkin', minutes: 5,
      title: { ja: 'チェックイン', en: 'Check-in' },
      prompt: { ja: '今の気持ちを一言で教えてください。', en: 'One word for how you feel right now.' },
    },
    {
      id: 'story', kind: 'story', minutes: 15,
      title: { ja: '生い立ちを振り返る', en: 'Your life story' },
      prompt: {
        ja: 'あなたを形づくった出来事を5つ以上書き出し、そのときの気持ちを −5〜+5 で記録しましょう。',
        en: 'Write five or more moments that shaped you and how you felt, from −5 to +5.',
      },
    },
    {
      id: 'values', kind: 'values', minutes: 15,
      title: { ja: '価値観を見つける', en: 'Find your values' },
      prompt: {
        ja: 'カードを「とても大切」「大切」「そうでもない」に分け、上位3つを選びましょう。自分の言葉で書き足しても構いません。',
        en: 'Sort the cards into "very important", "important" and "not so", then choose your top three. Add your own words if you like.',
      },
    },
    {
      id: 'purpose', kind: 'purpose', minutes: 15,
      title: { ja: 'マイパーパスを言葉にする', en: 'Write your purpose' },
      prompt: { ja: '「私は＿＿のために存在し、＿＿を実現したい」の形で書いてみましょう。', en: 'Try the form "To ___ so that ___".' },
    },
    {
      id: 'connect', kind: 'connect', minutes: 20,
      title: { ja: 'ビジョンとの接点', en: 'Connect to our vision' },
      prompt: {
        ja: 'あなたの価値観やパーパスと、会社のビジョンが重なるところを線で結び、理由を一言添えましょう。',
        en: 'Link your values or purpose to the company\'s vision where they overlap, and add a reason.',
      },
    },
    {
      id: 'share', kind: 'share', minutes: 20,
      title: { ja: '共有と称賛', en: 'Share and appreciate' },
      prompt: {
        ja: 'グループで互いのパーパスを紹介し合い、心に響いたものにスタンプを送りましょう。',
        en: 'Introduce your purposes in your group and send a stamp to the ones that move you.',
      },
    },
    {
      id: 'commit', kind: 'commit', minutes: 10,
      title: { ja: '明日からの一歩', en: 'Your first step' },
      prompt: {
        ja: '明日から始める具体的な行動と、自分で決めてよい範囲を書きましょう。',
        en: 'Write one concrete action you will start tomorrow, and what you will decide on your own.',
      },
    },
    {
      id: 'close', kind: 'close', minutes: 5,
      title: { ja: 'まとめ', en: 'Wrap-up' },
      prompt: { ja: '今日のシートを受け取り、感想を共有しましょう。', en: 'Take your sheet home and share one takeaway.' },
    },
  ],
}

export const TEMPLATES: Record<string, Template> = { [myPurpose.id]: myPurpose }
export const DEFAULT_TEMPLATE = myPurpose.id

export function phasesFor(templateId: string, locale: Locale): Phase[] | null {
  const t = TEMPLATES[templateId]
  if (!t) return null
  return t.phases.map((p) => ({ id: p.id, kind: p.kind, title: p.title[locale], prompt: p.prompt[locale], durationSec: p.minutes * 60 }))
}
