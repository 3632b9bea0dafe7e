// Group commit for one room. Updates are applied to the document as they are accepted and then
// written in order; while one write is in flight, those accepted meanwhile wait and go together in
// the next. The room relays each update only when the write holding it has returned, so nobody
// sees what is not stored, and a slow store (PostgreSQL: a round trip per write) no longer makes
// every update of the room wait for the one before it.
export type Pending<T> = { update: Uint8Array; meta: T }

export class GroupCommit<T> {
  private waiting: Pending<T>[] = []
  private running: Promise<void> | null = null

  /** `commit` stores and relays one batch, in order; false stops everything (the room is gone). */
  constructor(private commit: (batch: Pending<T>[]) => Promise<boolean>) {}

  push(update: Uint8Array, meta: T): void {
    this.waiting.push({ update, meta })
    this.running ??= this.run()
  }

  /** Resolves once everything pushed so far is written (or dropped because the room is gone). */
  async drained(): Promise<void> {
    while (this.running) await this.running
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting
        this.waiting = []
        if (!(await this.commit(batch))) {
          this.waiting = []
          return
        }
      }
    } finally {
      this.running = null
    }
  }
}
