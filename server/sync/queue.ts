// A room's serial queue: each task runs after everything queued before it, and a failing task
// fails only itself. Storage answers at once with SQLite, so a long queue would otherwise hold the
// whole process: after running BURST_MS without a break it lets other rooms, HTTP and commands in.
const BURST_MS = 5

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()
  private pending = 0
  private burstStart = 0

  run<T>(task: () => Promise<T> | T): Promise<T> {
    if (this.pending++ === 0) this.burstStart = performance.now()
    const result = this.tail.then(async () => {
      if (performance.now() - this.burstStart > BURST_MS) {
        await new Promise((resolve) => setImmediate(resolve))
        this.burstStart = performance.now()
      }
      return task()
    })
    const done = result.finally(() => this.pending--)
    this.tail = done.catch(() => {})
    return result
  }
}
