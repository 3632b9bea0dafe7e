// Group commit for one room. Updates are written in order; a store that writes synchronously
// (SQLite) commits each at once, in the caller's turn. While an asynchronous write is in flight
// (PostgreSQL: a round trip per write), those accepted meanwhile wait and go together in the next.
// The room relays each update only when the write holding it has returned, so nobody sees what is
// not stored, and a slow store no longer makes every update of the room wait for the one before it.
export type Pending<T> = { update: Uint8Array; meta: T }

export class GroupCommit<T> {
  private waiting: Pending<T>[] = []
  private running: Promise<void> | null = null
  private flushing = false

  /** `commit` stores and relays one batch, in order; false stops everything (the room is gone). */
  constructor(private commit: (batch: Pending<T>[]) => boolean | Promise<boolean>) {}

  push(update: Uint8Array, meta: T): void {
    this.waiting.push({ update, meta })
    if (!this.running && !this.flushing) this.flush()
  }

  /** Resolves once everything pushed so far is written (or dropped because the room is gone). */
  async drained(): Promise<void> {
    while (this.running) await this.running
  }

  private flush(): void {
    this.flushing = true
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting
        this.waiting = []
        const done = this.commit(batch)
        if (done instanceof Promise) {
          this.running = done.then(
            (ok) => this.after(ok),
            () => this.after(false),
          )
          return
        }
        if (!done) this.waiting = []
      }
    } finally {
      this.flushing = false
    }
  }

  private after(ok: boolean): void {
    this.running = null
    if (!ok) this.waiting = []
    else this.flush()
  }
}
