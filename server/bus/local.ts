// One node: there is no other node to publish to; counters and leases live in memory.
import { nanoid } from 'nanoid'
import type { Bus, BusHandler } from './bus.js'

export class LocalBus implements Bus {
  readonly nodeId = nanoid(10)
  private windows = new Map<string, { start: number; count: number }>()
  private leases = new Set<string>()

  publish(_channel: string, _message: Uint8Array): void {}

  subscribe(_channel: string, _handler: BusHandler): () => void {
    return () => {}
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const now = Date.now()
    let w = this.windows.get(key)
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 }
      this.windows.set(key, w)
      if (this.windows.size > 50_000) this.sweep(now, windowMs)
    }
    return ++w.count
  }

  async lease(key: string, _ttlMs: number): Promise<boolean> {
    this.leases.add(key)
    return true
  }

  async release(key: string): Promise<void> {
    this.leases.delete(key)
  }

  onReconnect(_handler: () => void): void {}

  async close(): Promise<void> {
    this.windows.clear()
  }

  private sweep(now: number, windowMs: number) {
    for (const [k, w] of this.windows) if (now - w.start >= windowMs) this.windows.delete(k)
  }
}
