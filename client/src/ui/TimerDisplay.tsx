// The live countdown, computed from server time so every screen agrees.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Timer } from '../../../shared/protocol'
import { formatClock, remainingMs } from '../net/clock'

type Props = { timer: Timer; serverNow(): number; large?: boolean }

export function useRemaining(timer: Timer, serverNow: () => number): number {
  const [, tick] = useState(0)
  useEffect(() => {
    if (timer.status !== 'running') return
    const id = window.setInterval(() => tick((n) => n + 1), 250)
    return () => window.clearInterval(id)
  }, [timer.status, timer.endsAt])
  return remainingMs(timer, serverNow())
}

export function TimerDisplay({ timer, serverNow, large }: Props) {
  const { t } = useTranslation()
  const ms = useRemaining(timer, serverNow)
  const done = timer.status === 'done' || (timer.status === 'running' && ms <= 0)
  const status = done ? t('timer.done') : timer.status === 'paused' ? t('timer.paused') : timer.status === 'idle' ? t('timer.idle') : ''
  return (
    <div className={`timer timer-${done ? 'done' : timer.status} ${large ? 'timer-large' : ''}`} role="timer" aria-label={t('timer.label')}>
      <span className="timer-clock" aria-hidden={done}>
        {formatClock(ms)}
      </span>
      {status && <span className="timer-status">{status}</span>}
    </div>
  )
}
