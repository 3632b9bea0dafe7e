// How often presence (cursors, who is here) is relayed. Presence is the bulk of a busy server's
// messages — every participant's cursor, several times a second, to everyone in the room — and the
// least precious: only the latest state counts. So every room relays it every PRESENCE_MIN_MS
// while the process has time to spare, and less often, down to every PRESENCE_MAX_MS, while its
// event loop is busy; edits keep their speed either way, and presence rides with them when it can
// (presence.ts). Read twice a second from the event loop's utilisation; the interval moves by a
// factor per reading, so it settles instead of swinging.
import { performance, type EventLoopUtilization } from 'node:perf_hooks'

export const PRESENCE_MIN_MS = 50
export const PRESENCE_MAX_MS = 500
const SAMPLE_MS = 500
/** Above this share of busy time, relay less often; below IDLE, more often. */
const BUSY = 0.6
const IDLE = 0.4
const STEP = 1.5

/** Busy share of the event loop since the previous call. */
export type LoadReader = () => number

export function eventLoopLoad(): LoadReader {
  let last: EventLoopUtilization = performance.eventLoopUtilization()
  return () => {
    const now = performance.eventLoopUtilization()
    const share = performance.eventLoopUtilization(now, last).utilization
    last = now
    return share
  }
}

export class PresencePace {
  private interval = PRESENCE_MIN_MS
  private timer: NodeJS.Timeout | undefined

  constructor(private readLoad: LoadReader = eventLoopLoad()) {}

  /** The current relay interval in ms. */
  get everyMs(): number {
    return this.interval
  }

  start(): void {
    this.timer ??= setInterval(() => this.sample(), SAMPLE_MS).unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** One reading: exported for tests, called every SAMPLE_MS once started. */
  sample(): void {
    const load = this.readLoad()
    if (load > BUSY) this.interval = Math.min(PRESENCE_MAX_MS, Math.round(this.interval * STEP))
    else if (load < IDLE) this.interval = Math.max(PRESENCE_MIN_MS, Math.round(this.interval / STEP))
  }
}
