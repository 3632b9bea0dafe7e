// Room codes are guessable only slowly: more than 30 misses within 60 s from one client address
// blocks every code lookup from it for the next 60 s (hits included, so guessing learns nothing).
// Misses are counted through the bus, so the limit holds across nodes; hits never count, so a
// whole office behind one address joining a real workshop is never blocked.
import type { Bus } from '../bus/bus.js'

export const MISS_LIMIT = 30
export const WINDOW_MS = 60_000

export class CodeGuard {
  private blocked = new Map<string, number>()

  constructor(private bus: Bus) {}

  /** Seconds until the address may look up codes again, or 0. */
  blockedFor(address: string, now = Date.now()): number {
    const until = this.blocked.get(address)
    if (!until) return 0
    if (until <= now) {
      this.blocked.delete(address)
      return 0
    }
    return (until - now) / 1000
  }

  /** Counts a miss; returns the seconds of the block it caused, or 0. */
  async miss(address: string, now = Date.now()): Promise<number> {
    const count = await this.bus.hit(`code-miss:${address}`, WINDOW_MS)
    if (count <= MISS_LIMIT) return 0
    this.blocked.set(address, now + WINDOW_MS)
    if (this.blocked.size > 100_000) for (const [a, t] of this.blocked) if (t <= now) this.blocked.delete(a)
    return WINDOW_MS / 1000
  }
}
