// Drives running timers to `done` at their end, with nobody connected too. With several nodes,
// the one holding the workshop's lease drives it; if that node dies, the lease expires and a
// node that still knows the timer retries.
import type { Bus } from '../bus/bus.js'
import type { Logger } from '../log.js'
import type { Entry, Workshops } from '../workshops.js'
import { settleTimer } from './core.js'

const LEASE_MS = 3_000
const RETRY_MS = 1_000

export class TimerDriver {
  private handles = new Map<string, NodeJS.Timeout>()

  constructor(
    private workshops: Workshops,
    private bus: Bus,
    private log: Logger,
    private broadcast: (code: string) => Promise<void>,
  ) {
    workshops.on('changed', (code, entry) => this.schedule(code, entry))
    workshops.on('deleted', (code) => this.cancel(code))
  }

  schedule(code: string, entry: Entry): void {
    this.cancel(code)
    const t = entry.rec.control.timer
    if (t.status !== 'running' || t.endsAt === null) return
    this.arm(code, t.endsAt, Math.max(0, t.endsAt - Date.now()))
  }

  private arm(code: string, endsAt: number, delay: number): void {
    this.handles.set(code, setTimeout(() => void this.fire(code, endsAt), delay))
  }

  private async fire(code: string, endsAt: number): Promise<void> {
    this.handles.delete(code)
    try {
      if (!(await this.bus.lease(`timer:${code}`, LEASE_MS))) {
        // Another node drives it; look again later in case it died before finishing.
        return this.arm(code, endsAt, RETRY_MS)
      }
      const changed = await this.workshops.updateControl(code, Date.now(), (rec) => {
        const t = rec.control.timer
        if (t.status !== 'running' || t.endsAt !== endsAt) return { result: false }
        return { control: settleTimer(rec.control, Date.now()), result: true }
      })
      if (changed) await this.broadcast(code)
    } catch (err) {
      this.log.warn('timer step failed; retrying', { code, error: String(err) })
      this.arm(code, endsAt, RETRY_MS)
    }
  }

  cancel(code: string): void {
    const h = this.handles.get(code)
    if (h) clearTimeout(h)
    this.handles.delete(code)
  }

  close(): void {
    for (const h of this.handles.values()) clearTimeout(h)
    this.handles.clear()
  }
}
