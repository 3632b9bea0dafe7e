// A sample workshop written into real Y.Docs the way clients write it, with realistic Japanese
// and English text at the SPEC's maximum lengths: used by the export benchmark and tests.
import * as Y from 'yjs'
import {
  PERSON, createPerson, createValue, createVisionItem, draftsOf, cardsOf, linksOf, peopleOf, personText,
  reactionsOf, readNotebook, readPeople, readVision, storyOf, valuesOf, STAMPS, type NotebookView,
} from '../../shared/layout.js'
import { VALUES_DECK } from '../../shared/deck.js'
import type { ExportInput } from './input.js'

const JA = '私は人と人をつなぐことで、誰もが自分らしく挑戦できる職場をつくり、お客様の毎日に小さな喜びを届けたい。'
const EN = 'To help every colleague find the courage to try something new, so that our customers feel cared for every day. '
const VISION_JA = ['食と健康の課題解決で、人びとのウェルネスを共創する', '多様な人財が活き活きと働き、社会に新しい価値を生み出す', '地球環境との共生を進め、持続可能な未来をつくる', 'お客様の「おいしい」と「うれしい」を世界中に届ける']
const NAMES = ['山田 花子', '佐藤 健', 'Alex Morgan', '鈴木 一郎', 'Priya Raman', '高橋 さくら', '田中 悠斗', 'Jordan Lee']

/** Repeats `unit` to exactly `n` code points. */
export function fill(unit: string, n: number): string {
  const cps = Array.from(unit)
  let out = ''
  for (let i = 0; i < n; i++) out += cps[i % cps.length]
  return out
}

export type Sample = { board: Y.Doc; notebooks: Map<string, Y.Doc>; input: ExportInput; notebook(pid: string): NotebookView }

export type SampleOptions = { participants: number; maxText?: boolean; hostile?: Partial<Record<'name' | 'purpose' | 'reason' | 'commitment' | 'value' | 'checkin', string>> }

export function buildSample(opts: SampleOptions): Sample {
  const board = new Y.Doc()
  const max = opts.maxText ?? true
  const visionIds = VISION_JA.map((_, i) => `vision-${i + 1}xx`)
  VISION_JA.forEach((title, i) => createVisionItem(board, visionIds[i]!, title, max ? fill('私たちは地域とともに歩み、Together we grow. ', 400) : '', { x: i * 300, y: 0 }))
  const roster: ExportInput['roster'] = []
  const notebooks = new Map<string, Y.Doc>()
  const h = opts.hostile ?? {}
  for (let i = 0; i < opts.participants; i++) {
    const pid = `person-${String(i + 1).padStart(3, '0')}x`
    const name = i === 0 && h.name ? h.name : `${NAMES[i % NAMES.length]} ${i + 1}`
    roster.push({ participantId: pid, name, color: ['#e4572e', '#17bebb', '#76b041', '#ffc914', '#2e86ab'][i % 5]!, joinedAt: 1_760_000_000_000 + i })
    createPerson(board, pid)
    const person = peopleOf(board).get(pid)!
    const en = i % 3 === 2
    const unit = en ? EN : JA
    personText(person, 'checkin')!.insert(0, i === 0 && h.checkin ? h.checkin : en ? 'Curious' : 'わくわく')
    personText(person, 'purpose')!.insert(0, i === 0 && h.purpose ? h.purpose : max ? fill(unit, 300) : unit)
    personText(person, 'commitment')!.insert(0, i === 0 && h.commitment ? h.commitment : max ? fill(unit, 300) : '毎朝チームに一声かける。')
    personText(person, 'autonomy')!.insert(0, max ? fill(unit, 300) : '会議の進め方は自分で決める。')
    const values = valuesOf(person)!
    const nValues = max ? 10 : 3
    for (let v = 0; v < nValues; v++) {
      const card = VALUES_DECK[(i * 3 + v * 7) % 12]!
      const text = i === 0 && v === 0 && h.value ? h.value : v < 3 ? (en ? card.en : card.ja) : max ? fill(unit, 60) : card.ja
      values.set(`value-${v}xxxx`, createValue(text, v < 3 ? ((v + 1) as 1 | 2 | 3) : null, { x: v, y: i }))
    }
    const links = linksOf(person)!
    const nLinks = max ? 20 : 2
    for (let l = 0; l < nLinks; l++) {
      const from = l % 4 === 3 ? 'purpose' : `value-${l % nValues}xxxx`
      const reason = i === 0 && l === 0 && h.reason ? h.reason : max ? fill(unit, 200) : en ? 'Because it is what I care about.' : '日々の仕事で大切にしていることだから。'
      links.set(`link-${l}xxxxx`, { from, to: visionIds[(i + l) % visionIds.length]!, reason })
    }
    void PERSON
    const nb = new Y.Doc()
    const story = storyOf(nb)
    for (let m = 0; m < (max ? 30 : 6); m++) {
      const moment = new Y.Map<unknown>()
      moment.set('id', `m${m}`)
      moment.set('when', max ? fill(en ? 'Age 12, summer camp ' : '小学生のころの夏休み', 20) : `${m * 5 + 5}歳`)
      moment.set('text', new Y.Text(max ? fill(unit, 300) : unit))
      moment.set('level', ((m * 7) % 11) - 5)
      story.push([moment])
    }
    VALUES_DECK.forEach((c, k) => cardsOf(nb).set(c.id, (['very', 'important', 'not'] as const)[k % 3]!))
    cardsOf(nb).set('custom-own1', 'very')
    draftsOf(nb).set('custom-own1', new Y.Text(en ? 'Kindness to strangers' : '見知らぬ人への優しさ'))
    notebooks.set(pid, nb)
  }
  // Stamps: each person sends one to a few others.
  for (let i = 0; i < opts.participants; i++) {
    const reactions = reactionsOf(peopleOf(board).get(roster[i]!.participantId)!)!
    for (let k = 1; k <= 3 && k < opts.participants; k++) reactions.set(roster[(i + k) % opts.participants]!.participantId, STAMPS[(i + k) % 3]!)
  }
  const input: ExportInput = {
    workshop: { code: 'KSNABC', title: '2026年度 マイパーパス・ワークショップ（東京本社）', locale: 'ja', template: 'my-purpose', createdAt: Date.UTC(2026, 10, 23, 3), ended: false, phases: [] },
    roster,
    vision: readVision(board),
    people: readPeople(board),
  }
  return { board, notebooks, input, notebook: (pid) => readNotebook(notebooks.get(pid)!) }
}
