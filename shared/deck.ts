// The values deck and the stamps of WORKSHOP.md, by id, in both languages.
import type { Locale } from './protocol.js'
import type { Stamp } from './layout.js'

export type ValueCard = { id: string; ja: string; en: string }

const DECK_TEXT = `integrity 誠実 Integrity · challenge 挑戦 Challenge · growth 成長 Growth · contribution 貢献 Contribution ·
family 家族 Family · health 健康 Health · freedom 自由 Freedom · creativity 創造性 Creativity ·
curiosity 好奇心 Curiosity · trust 信頼 Trust · gratitude 感謝 Gratitude · compassion 思いやり Compassion ·
responsibility 責任 Responsibility · fairness 公正 Fairness · security 安心・安全 Security ·
harmony 調和 Harmony · autonomy 自律 Autonomy · collaboration 協働 Collaboration · learning 学び Learning ·
influence 影響力 Influence · excellence 卓越 Excellence · adventure 冒険 Adventure · pride 誇り Pride ·
fun 楽しさ Fun · beauty 美しさ Beauty · simplicity 簡素 Simplicity · diversity 多様性 Diversity ·
community 地域・社会 Community · nature 環境・自然 Nature · wisdom 知恵 Wisdom · courage 勇気 Courage ·
humility 謙虚 Humility · passion 情熱 Passion · achievement 達成 Achievement · recognition 承認 Recognition ·
stability 安定 Stability · change 変化 Change · connection つながり Connection · honesty 正直 Honesty ·
mastery 専門性 Mastery`

export const VALUES_DECK: readonly ValueCard[] = DECK_TEXT.split('·').map((entry) => {
  const [id, ja, ...en] = entry.trim().split(/\s+/)
  return { id: id!, ja: ja!, en: en.join(' ') }
})

const DECK_BY_ID = new Map(VALUES_DECK.map((c) => [c.id, c]))

export function cardLabel(id: string, locale: Locale): string | undefined {
  return DECK_BY_ID.get(id)?.[locale]
}

export const isDeckCard = (id: string) => DECK_BY_ID.has(id)

export const STAMP_INFO: Record<Stamp, { icon: string; ja: string; en: string }> = {
  resonates: { icon: '👏', ja: '共感', en: 'Resonates' },
  inspiring: { icon: '✨', ja: '素敵', en: 'Inspiring' },
  cheering: { icon: '💪', ja: '応援', en: 'Cheering you on' },
}
