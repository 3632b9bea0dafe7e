// The facilitator's console: join info, phases, timer, board controls, progress and the live board.
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Header } from '../app/Header'
import { Board } from '../board/Board'
import { useBoardData } from '../board/useBoardData'
import { toFocus, type Size, type Viewport } from '../board/viewport'
import { getWorkshop } from '../net/api'
import { joinUrlFor, saveJoinUrl } from '../net/tokens'
import type { Control } from '../net/useControl'
import type { RoomSnapshot } from '../net/yroom'
import { ConnectionBadge } from '../ui/ConnectionBadge'
import { TimeUp } from '../ui/TimeUp'
import { BoardControls } from './BoardControls'
import { Downloads } from './Downloads'
import { EndWorkshop } from './EndWorkshop'
import { JoinInfo } from './JoinInfo'
import { PhaseStepper } from './PhaseStepper'
import { ProgressList } from './ProgressList'
import { Projector } from './Projector'
import { TimerControls } from './TimerControls'
import { useCommand } from './useCommand'
import { VisionControls } from './VisionControls'
import type * as Y from 'yjs'

type Props = { code: string; token: string; control: Control; board: RoomSnapshot | null }

const FACILITATOR = { participantId: null, name: '', color: '#1f2a44' }

export function FacilitatorConsole({ code, token, control, board }: Props) {
  const { t } = useTranslation()
  const run = useCommand(control)
  const [projecting, setProjecting] = useState(false)
  const view = useRef<{ v: Viewport; size: Size }>({ v: { x: 0, y: 0, zoom: 1 }, size: { w: 1000, h: 700 } })
  const refocus = useRef(0)
  const { state } = control
  const [joinUrl, setJoinUrl] = useState(() => joinUrlFor(code))
  useEffect(() => {
    // The server knows PUBLIC_URL; a console opened on another device learns the link from it.
    getWorkshop(code).then(
      (info) => {
        if (!info.joinUrl) return
        saveJoinUrl(code, info.joinUrl)
        setJoinUrl(info.joinUrl)
      },
      () => {},
    )
  }, [code])
  const focusOn = !!state?.focus

  // While everyone follows, they follow where the facilitator goes: re-send once the view settles.
  const onViewport = useCallback(
    (v: Viewport, size: Size) => {
      view.current = { v, size }
      if (!focusOn) return
      window.clearTimeout(refocus.current)
      refocus.current = window.setTimeout(() => void control.send('focus:set', toFocus(view.current.v, view.current.size)), 400)
    },
    [focusOn, control],
  )
  const status = control.status === 'online' && board?.status === 'online' ? 'online' : control.status === 'offline' || board?.status === 'offline' ? 'offline' : 'connecting'
  const facilitatorName = t('board.facilitator')
  const self = { ...FACILITATOR, name: facilitatorName }

  return (
    <>
      <Header>
        <span className="header-title">{state?.title ?? t('facilitator.console')}</span>
        <span className="header-code">{code}</span>
        {state?.locked && <span className="badge badge-locked">{t('facilitator.lockedBadge')}</span>}
        {state?.ended && <span className="badge badge-ended">{t('facilitator.endedBadge')}</span>}
        <ConnectionBadge status={status} />
      </Header>
      <main id="main" className="page console">
        {!state || !board ? (
          <p className="loading" role="status">
            {t('app.loading')}
          </p>
        ) : (
          <div className="console-grid">
            <div className="console-side">
              <h1 className="visually-hidden">{t('facilitator.console')}</h1>
              <JoinInfo code={code} joinUrl={joinUrl} participants={state.roster.length} onProject={() => setProjecting(true)} />
              <PhaseStepper state={state} run={run} />
              <TimerControls state={state} run={run} serverNow={control.serverNow} />
              <BoardControls state={state} run={run} currentFocus={() => toFocus(view.current.v, view.current.size)} />
              <ConsoleProgress state={state} doc={board.doc} run={run} />
              <Downloads code={code} token={token} />
              <section className="panel">
                <EndWorkshop state={state} run={run} />
              </section>
            </div>
            <section className="console-board" aria-label={t('board.label')}>
              <div className="console-board-bar">
                <h2 className="panel-title">{t('facilitator.vision')}</h2>
                <ConsoleVision doc={board.doc} center={() => view.current.v} />
              </div>
              <Board doc={board.doc} provider={board.provider} synced={board.synced} state={state} self={self} send={control.send} onViewport={onViewport} />
            </section>
          </div>
        )}
        {state && <TimeUp timer={state.timer} serverNow={control.serverNow} />}
        {state && projecting && <Projector state={state} joinUrl={joinUrl} serverNow={control.serverNow} onClose={() => setProjecting(false)} />}
      </main>
    </>
  )
}

function ConsoleProgress({ state, doc, run }: { state: NonNullable<Control['state']>; doc: Y.Doc; run: ReturnType<typeof useCommand> }) {
  const { people } = useBoardData(doc)
  return <ProgressList state={state} people={people} run={run} />
}

function ConsoleVision({ doc, center }: { doc: Y.Doc; center(): { x: number; y: number } }) {
  const { vision } = useBoardData(doc)
  return <VisionControls doc={doc} center={center} count={vision.length} />
}
