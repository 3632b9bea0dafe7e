// `/j/:code` once joined: the current phase, its countdown, the phase view and the live board.
import { useEffect, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { boardRoom, notebookRoom } from '../../../shared/protocol'
import { Board } from '../board/Board'
import { applyWorkshopLocale, currentLang } from '../i18n'
import { boardEditsStorageKey, notebookStorageKey } from '../net/device'
import { useControl } from '../net/useControl'
import { useEndState } from '../net/useEndState'
import { useOnDevice } from '../net/useOnDevice'
import { useYRoom } from '../net/useYRoom'
import type { ParticipantCredentials } from '../net/tokens'
import type { Me } from '../phases/types'
import { ConnectionBadge } from '../ui/ConnectionBadge'
import { TimeUp } from '../ui/TimeUp'
import { TimerDisplay } from '../ui/TimerDisplay'
import { Gone } from './Gone'
import { Header } from './Header'
import { PhaseSlot } from './PhaseSlot'
import { useRoomNotices } from './useRoomNotices'

type Props = { code: string; creds: ParticipantCredentials; onRejoin(): void }

export function ParticipantPage({ code, creds, onRejoin }: Props) {
  const { t, i18n } = useTranslation()
  const control = useControl(creds.token)
  const board = useYRoom(boardRoom(code), creds.token)
  const notebook = useYRoom(notebookRoom(code, creds.participantId), creds.token)
  const { state } = control
  const known = board?.ended ?? notebook?.ended ?? null
  const end = useEndState(creds.token, control.stopped !== null, known)
  useRoomNotices(board, state)

  useEffect(() => {
    if (state) applyWorkshopLocale(i18n, state.locale)
  }, [state?.locale, i18n, state])

  const entry = state?.roster.find((r) => r.participantId === creds.participantId)
  const me: Me | null = useMemo(
    () => (entry ? { code, participantId: creds.participantId, name: entry.name, color: entry.color, token: creds.token } : null),
    [code, creds, entry?.name, entry?.color],
  )

  // What is written here stays on this device until the server has it: all of the notebook, and
  // the board edits made here; removed, or the workshop gone, nothing stays behind.
  useOnDevice(notebook, notebookStorageKey(code, creds.participantId), 'all', end !== null)
  useOnDevice(board, boardEditsStorageKey(code, creds.participantId), 'own', end !== null)

  if (end) return <Gone kind={end} code={code} onRejoin={onRejoin} />

  const phase = state?.phases[state.phaseIndex]
  const lang = currentLang(i18n)
  const status = control.status === 'online' && board?.status === 'online' ? 'online' : control.status === 'offline' || board?.status === 'offline' ? 'offline' : 'connecting'

  return (
    <>
      <Header>
        <span className="header-code" aria-label={t('facilitator.roomCode')}>
          {code}
        </span>
        <ConnectionBadge status={status} />
      </Header>
      <main id="main" className="page participant">
        {!state || !phase || !me || !board || !notebook ? (
          <p className="loading" role="status">
            {t('app.loading')}
          </p>
        ) : (
          <div className="participant-grid">
            <section className="phase-panel" aria-labelledby="phase-title">
              <div className="phase-head">
                <p className="phase-count">
                  {t('participant.phase', { n: state.phaseIndex + 1, total: state.phases.length })}
                  {entry?.group != null && <span className="group-badge">{t('participant.group', { n: entry.group })}</span>}
                </p>
                <h1 id="phase-title" className="phase-title">
                  {phase.title}
                </h1>
                <TimerDisplay timer={state.timer} serverNow={control.serverNow} />
              </div>
              {state.ended && <p className="banner banner-ended" role="status">{t('participant.ended')}</p>}
              {!state.ended && state.locked && <p className="banner banner-locked" role="status">{t('participant.locked')}</p>}
              <PhaseSlot
                state={state}
                phase={phase}
                me={me}
                board={board.doc}
                notebook={notebook.doc}
                boardStatus={board.status}
                notebookStatus={notebook.status}
                lang={lang}
                send={control.send}
              />
            </section>
            <section className="board-panel" aria-label={t('board.label')}>
              <Board
                doc={board.doc}
                provider={board.provider}
                synced={board.synced}
                state={state}
                self={{ participantId: me.participantId, name: me.name, color: me.color }}
                send={control.send}
              />
            </section>
          </div>
        )}
        {state && <TimeUp timer={state.timer} serverNow={control.serverNow} />}
      </main>
    </>
  )
}
