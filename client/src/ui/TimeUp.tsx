// At zero everyone gets a visible banner and a beep, once per countdown.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Timer } from '../../../shared/protocol'
import { beep, unlockAudio } from './signal'
import { useRemaining } from './TimerDisplay'

const SHOW_MS = 8000

export function TimeUp({ timer, serverNow }: { timer: Timer; serverNow(): number }) {
  const { t } = useTranslation()
  const ms = useRemaining(timer, serverNow)
  const zero = timer.status === 'done' || (timer.status === 'running' && ms <= 0)
  const wasRunning = useRef(false)
  const [visible, setVisible] = useState(false)

  useEffect(() => {
    const unlock = () => unlockAudio()
    window.addEventListener('pointerdown', unlock, { once: true })
    window.addEventListener('keydown', unlock, { once: true })
    return () => {
      window.removeEventListener('pointerdown', unlock)
      window.removeEventListener('keydown', unlock)
    }
  }, [])

  useEffect(() => {
    if (timer.status === 'running' && !zero) wasRunning.current = true
    if (zero && wasRunning.current) {
      wasRunning.current = false
      setVisible(true)
      beep()
      return
    }
    if (timer.status === 'idle') wasRunning.current = false
  }, [zero, timer.status])

  // Its own effect: the server's `done` arriving after the local countdown reached zero must not
  // cancel the hiding.
  useEffect(() => {
    if (!visible) return
    const id = window.setTimeout(() => setVisible(false), SHOW_MS)
    return () => window.clearTimeout(id)
  }, [visible])

  if (!visible) return null
  return (
    <div className="time-up" role="alert" onClick={() => setVisible(false)}>
      {t('signal.timeUp')}
    </div>
  )
}
