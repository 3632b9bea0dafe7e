// "Show the code": the room code, QR and join link filling the screen, for a projector.
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkshopState } from '../../../shared/protocol'
import { Qr } from '../ui/Qr'
import { TimerDisplay } from '../ui/TimerDisplay'

type Props = { state: WorkshopState; joinUrl: string; serverNow(): number; onClose(): void }

export function Projector({ state, joinUrl, serverNow, onClose }: Props) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const el = ref.current
    closeRef.current?.focus()
    if (el?.requestFullscreen && !document.fullscreenElement) el.requestFullscreen().catch(() => {})
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    const onFs = () => !document.fullscreenElement && onClose()
    window.addEventListener('keydown', onKey)
    document.addEventListener('fullscreenchange', onFs)
    return () => {
      window.removeEventListener('keydown', onKey)
      document.removeEventListener('fullscreenchange', onFs)
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {})
    }
  }, [onClose])
  const phase = state.phases[state.phaseIndex]
  return (
    <div ref={ref} className="projector" role="dialog" aria-modal="true" aria-label={t('facilitator.project')}>
      <button ref={closeRef} type="button" className="btn projector-close" onClick={onClose}>
        {t('facilitator.closeProjector')}
      </button>
      <p className="projector-title">{state.title}</p>
      <div className="projector-main">
        <div className="projector-code-block">
          <p className="projector-label">{t('facilitator.roomCode')}</p>
          <p className="projector-code">{state.code}</p>
          <p className="projector-url">{t('facilitator.projectorHint', { url: joinUrl })}</p>
        </div>
        <Qr text={joinUrl} label={t('facilitator.qr', { code: state.code })} size={360} />
      </div>
      <div className="projector-foot">
        {phase && <p className="projector-phase">{phase.title}</p>}
        <TimerDisplay timer={state.timer} serverNow={serverNow} large />
        <p className="projector-count">{t('facilitator.participants', { count: state.roster.length })}</p>
      </div>
    </div>
  )
}
