// Development page for the phase views against local documents, without a server:
// /src/phases/dev/index.html?kind=story&lang=en (vite dev server). Not part of the build.
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import i18next from 'i18next'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import * as Y from 'yjs'
import { createPerson, createValue, createVisionItem, peopleOf, personText, reactionsOf, valuesOf } from '../../../../shared/layout'
import { phasesFor } from '../../../../shared/templates'
import type { Locale, WorkshopState } from '../../../../shared/protocol'
import { PhaseView } from '../index'
import type { ConnStatus } from '../types'

const params = new URLSearchParams(location.search)
const lang = (params.get('lang') === 'ja' ? 'ja' : 'en') as Locale
const kind = params.get('kind') ?? 'checkin'
const status = (params.get('status') ?? 'online') as ConnStatus

const i18n = i18next.createInstance()
void i18n.use(initReactI18next).init({ lng: lang, resources: {}, interpolation: { escapeValue: false } })

const board = new Y.Doc()
const notebook = new Y.Doc()
const me = { code: 'ABCDEF', participantId: 'me-participant', name: 'Aoi', color: '#2f5bd3', token: 'dev' }
createVisionItem(board, 'vision-item-1', lang === 'ja' ? '働く喜びをつくる' : 'Make work joyful', lang === 'ja' ? 'すべてのお客様と仲間のために' : 'For everyone we serve', { x: 0, y: 0 })
createVisionItem(board, 'vision-item-2', lang === 'ja' ? '共に成長する' : 'Grow together', '', { x: 300, y: 0 })
for (const id of [me.participantId, 'other-person-1', 'other-person-2']) createPerson(board, id)
const other = peopleOf(board).get('other-person-1')!
personText(other, 'purpose')!.insert(0, lang === 'ja' ? '私は子どもたちの未来のために存在し、学びが楽しい社会を実現したい' : 'To open doors for young people so that learning feels like play')
valuesOf(other)!.set('other-value-1', createValue('Curiosity', 1, { x: 0, y: 300 }))
reactionsOf(other)!.set(me.participantId, 'inspiring')

const phases = phasesFor('my-purpose', lang)!
const state = (index: number): WorkshopState => ({
  protocol: 1,
  code: me.code,
  title: 'Dev workshop',
  locale: lang,
  template: 'my-purpose',
  phases,
  phaseIndex: index,
  timer: { status: 'idle', endsAt: null, remainingMs: 0 },
  locked: params.get('locked') === '1',
  ended: false,
  focus: null,
  roster: [
    { participantId: me.participantId, name: me.name, color: me.color, online: true, ready: false, group: null },
    { participantId: 'other-person-1', name: 'Ren', color: '#c2410c', online: true, ready: false, group: null },
    { participantId: 'other-person-2', name: 'Mika', color: '#1d7a46', online: true, ready: true, group: null },
  ],
  serverTime: Date.now(),
})

function Harness() {
  const [index, setIndex] = useState(Math.max(0, phases.findIndex((p) => p.kind === kind)))
  const s = state(index)
  return (
    <I18nextProvider i18n={i18n}>
      <main style={{ padding: '0 12px', fontFamily: 'system-ui, sans-serif' }}>
        <h1 style={{ fontSize: 20 }}>{s.phases[index]!.title}</h1>
        <PhaseView
          state={s}
          phase={s.phases[index]!}
          me={me}
          board={board}
          notebook={notebook}
          boardStatus={status}
          notebookStatus={status}
          lang={lang}
          send={async () => ({ ok: true })}
        />
        <nav aria-label="phases">
          {phases.map((p, i) => (
            <button key={p.id} type="button" onClick={() => setIndex(i)}>{p.kind}</button>
          ))}
        </nav>
      </main>
    </I18nextProvider>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
)
