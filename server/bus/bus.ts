// Fan-out and shared counters where the deployment varies: in-process for one node, Redis for
// many. Every implementation passes tests/integration/bus-contract.test.ts.
export type BusHandler = (message: Uint8Array) => void

export interface Bus {
  /** Distinguishes this node's own messages from other nodes'. */
  readonly nodeId: string
  /** Delivers to every subscriber of the channel on every other node (never back to this one). */
  publish(channel: string, message: Uint8Array): void
  subscribe(channel: string, handler: BusHandler): () => void
  /** Counts a hit in a fixed window shared by all nodes; returns the count so far in the window. */
  hit(key: string, windowMs: number): Promise<number>
  /** Takes or renews a lease; true while this node holds it. */
  lease(key: string, ttlMs: number): Promise<boolean>
  release(key: string): Promise<void>
  /** Called after the fan-out was interrupted and is back (messages may have been lost). */
  onReconnect(handler: () => void): void
  close(): Promise<void>
}
