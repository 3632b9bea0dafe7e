// A room's serial queue: each task runs after everything queued before it, and a failing task
// fails only itself. A task given to an idle queue starts at once, in the caller's turn: an update
// is then checked, applied and stored without waiting for a later microtask. Storage answers at
// once with SQLite, so a long queue would otherwise hold the whole process: after running BURST_MS
// without a break it lets other rooms, HTTP and commands in.
const BURST_MS = 5

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()
  private pending = 0
  private burstStart = 0

  run<T>(task: () => Promise<T> | T): Promise<T> {
    if (this.pending++ > 0) {
      const result = this.tail.then(async () => {
        if (performance.now() - this.burstStart > BURST_MS) {
          await new Promise((resolve) => setImmediate(resolve))
          this.burstStart = performance.now()
        }
        return task()
      })
      this.tail = this.settle(result)
      return result
    }
    this.burstStart = performance.now()
    // The tail is in place before the task runs: what the task itself queues runs after it.
    let release!: () => void
    this.tail = new Promise<void>((resolve) => (release = resolve))
    let result: Promise<T>
    try {
      result = Promise.resolve(task())
    } catch (err) {
      result = Promise.reject(err)
    }
    void this.settle(result).then(release)
    return result
  }

  private settle(result: Promise<unknown>): Promise<void> {
    return result.then(
      () => void this.pending--,
      () => void this.pending--,
    )
  }
}
