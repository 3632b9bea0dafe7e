// Start with the phase's duration, pause / resume, +1 / +5 minutes.
import { useTranslation } from 'react-i18next'
import type { WorkshopState } from '../../../shared/protocol'
import { TimerDisplay } from '../ui/TimerDisplay'
import type { Run } from './useCommand'

export function TimerControls({ state, run, serverNow }: { state: WorkshopState; run: Run; serverNow(): number }) {
  const { t } = useTranslation()
  const phase = state.phases[state.phaseIndex]
  const { status } = state.timer
  const seconds = phase?.durationSec ?? 300
  const off = state.ended
  return (
    <section className="panel timer-panel" aria-labelledby="timer-title">
      <h2 id="timer-title" className="panel-title">
        {t('facilitator.timer')}
      </h2>
      <TimerDisplay timer={state.timer} serverNow={serverNow} large />
      <div className="row wrap">
        {status === 'running' ? (
          <button type="button" className="btn" disabled={off} onClick={() => run('timer:pause', {})}>
            ❚❚ {t('facilitator.pause')}
          </button>
        ) : status === 'paused' ? (
          <button type="button" className="btn btn-primary" disabled={off} onClick={() => run('timer:resume', {})}>
            ▶ {t('facilitator.resume')}
          </button>
        ) : null}
        <button type="button" className={`btn ${status === 'idle' || status === 'done' ? 'btn-primary' : ''}`} disabled={off} onClick={() => run('timer:start', { seconds })}>
          {status === 'idle' ? `▶ ${t('facilitator.start', { min: Math.round(seconds / 60) })}` : `↺ ${t('facilitator.restart')}`}
        </button>
        <button type="button" className="btn" disabled={off || (status !== 'running' && status !== 'paused')} onClick={() => run('timer:add', { seconds: 60 })}>
          {t('facilitator.add1')}
        </button>
        <button type="button" className="btn" disabled={off || (status !== 'running' && status !== 'paused')} onClick={() => run('timer:add', { seconds: 300 })}>
          {t('facilitator.add5')}
        </button>
      </div>
    </section>
  )
}
