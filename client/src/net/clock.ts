// Server time for countdowns: the offset between the server's clock (from `state.serverTime`)
// and ours, so every screen shows the same remaining time.
import type { Timer } from '../../../shared/protocol'

export function remainingMs(timer: Timer, serverNow: number): number {
  if (timer.status === 'running' && timer.endsAt !== null) return Math.max(0, timer.endsAt - serverNow)
  if (timer.status === 'done') return 0
  return Math.max(0, timer.remainingMs)
}

export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const m = Math.floor(total / 60)
  const s = total % 60
  return `${m}:${String(s).padStart(2, '0')}`
}
