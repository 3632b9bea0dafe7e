// Strings printed in the exported PDFs (report and personal sheet), in both languages.
import type { Locale } from '../protocol.js'

export type PdfStrings = {
  reportTitle: string
  sheetTitle: string
  date: string
  participants: string
  purposes: string
  values: string
  links: string
  commitments: string
  anonymousNote: string
  visionMap: string
  visionMapNote: string
  linkCount: (links: number, people: number) => string
  moreValues: (n: number) => string
  purposeSource: string
  byVision: string
  noLinks: string
  checkins: string
  purposesAndCommitments: string
  purpose: string
  topValues: string
  commitment: string
  autonomy: string
  checkin: string
  linksToVision: string
  stampsReceived: string
  lifeStory: string
  cardSort: string
  piles: { very: string; important: string; not: string }
  empty: string
  nothingYet: string
  customCard: string
  privateNote: string
  page: (n: number, total: number) => string
}

export const pdf: Record<Locale, PdfStrings> = {
  ja: {
    reportTitle: 'セッションレポート',
    sheetTitle: 'マイパーパス・シート',
    date: '実施日',
    participants: '参加者',
    purposes: 'パーパスの公開',
    values: '価値観の公開',
    links: 'ビジョンとの接点',
    commitments: '明日からの一歩',
    anonymousNote: 'このレポートは参加者の名前を表示しない匿名版です。',
    visionMap: 'ビジョンマップ',
    visionMapNote: 'ビジョンごとに、結びつけられた価値観（同じ言葉はまとめて件数を表示）とパーパスの数を示します。',
    linkCount: (links, people) => `接点 ${links}件・${people}人`,
    moreValues: (n) => `ほか${n}件`,
    purposeSource: 'パーパス',
    byVision: 'ビジョンごとの接点',
    noLinks: 'まだ接点はありません。',
    checkins: 'チェックイン',
    purposesAndCommitments: 'パーパスと明日からの一歩',
    purpose: 'パーパス',
    topValues: '大切にしている価値観',
    commitment: '明日からの一歩',
    autonomy: '自分で決めてよい範囲',
    checkin: 'チェックイン',
    linksToVision: 'ビジョンとの接点',
    stampsReceived: '受け取ったスタンプ',
    lifeStory: '生い立ち（モチベーションチャート）',
    cardSort: '価値観カードの仕分け',
    piles: { very: 'とても大切', important: '大切', not: 'そうでもない' },
    empty: '（未記入）',
    nothingYet: 'まだありません。',
    customCard: '自分の言葉',
    privateNote: 'ここから下は、あなた自身のシートにだけ印刷されます（ファシリテーターには見えません）。',
    page: (n, total) => `${n} / ${total}`,
  },
  en: {
    reportTitle: 'Session report',
    sheetTitle: 'My Purpose sheet',
    date: 'Date',
    participants: 'Participants',
    purposes: 'Purposes published',
    values: 'Values published',
    links: 'Links to the vision',
    commitments: 'First steps',
    anonymousNote: 'This is the anonymous version of the report: no names are shown.',
    visionMap: 'Vision map',
    visionMapNote: 'For each vision item, the values linked to it (identical words grouped, with counts) and the number of purposes linked.',
    linkCount: (links, people) => `${links} ${links === 1 ? 'link' : 'links'} · ${people} ${people === 1 ? 'person' : 'people'}`,
    moreValues: (n) => `and ${n} more`,
    purposeSource: 'Purpose',
    byVision: 'Links by vision item',
    noLinks: 'No links yet.',
    checkins: 'Check-in',
    purposesAndCommitments: 'Purposes and first steps',
    purpose: 'Purpose',
    topValues: 'Top values',
    commitment: 'First step',
    autonomy: 'What I will decide on my own',
    checkin: 'Check-in',
    linksToVision: 'Links to our vision',
    stampsReceived: 'Stamps received',
    lifeStory: 'Life story (motivation chart)',
    cardSort: 'Values card sort',
    piles: { very: 'Very important', important: 'Important', not: 'Not so important' },
    empty: '(not written)',
    nothingYet: 'Nothing yet.',
    customCard: 'My own words',
    privateNote: 'What follows is printed only on your own sheet; the facilitator never sees it.',
    page: (n, total) => `${n} / ${total}`,
  },
}
