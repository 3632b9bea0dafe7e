// The runner's handle on one load-generator process (bench/load.ts, forked through tsx).
import { fork, type ChildProcess } from 'node:child_process'
import { setPriority } from 'node:os'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

/**
 * The load processes' niceness (`--load-nice`, 0–19). They stand in for the participants' own
 * devices but share the server's two cores: at their default priority the server's event loop
 * waited for a core 10–17 % of the time at the capacity knee while they ran (sampled during
 * 2026-12-08 run 12). A lower priority hands the core to the server first, as its own machine
 * would (10–30 rooms more in scenario 2: runs 12–17, 28, 29); the load processes still stamp what
 * they read themselves, so their own waits count in every latency.
 */
export const LOAD_NICE = 10

type Reply = { id: number; ok: boolean; result?: unknown; error?: string }

export class LoadProc {
  private next = 1
  private pending = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>()
  private exited = false
  readonly ready: Promise<void>

  private constructor(private child: ChildProcess) {
    let markReady: () => void = () => {}
    this.ready = new Promise<void>((r) => (markReady = r))
    child.on('message', (m: Reply) => {
      if (m.id === 0) return markReady()
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.ok) p.ok(m.result)
      else p.fail(new Error(`load process: ${m.error}`))
    })
    child.on('exit', (code) => {
      this.exited = true
      for (const p of this.pending.values()) p.fail(new Error(`load process exited with ${code}`))
      this.pending.clear()
    })
  }

  static async start(limitMs: number, nice: number): Promise<LoadProc> {
    const child = fork(resolve(ROOT, 'bench/load.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_LOAD_LIMIT_MS: String(limitMs) },
    })
    // Set at once, before the new process has started Node's threads: they inherit it (all of a
    // load process's threads read niceness 10 in /proc/<pid>/task/*/stat during a run).
    if (nice) setPriority(child.pid!, nice)
    const p = new LoadProc(child)
    await p.ready
    return p
  }

  get pid(): number {
    return this.child.pid!
  }

  request<T>(req: Record<string, unknown>, timeoutMs = 10 * 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error('load process is gone'))
    const id = this.next++
    return new Promise<T>((ok, fail) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        fail(new Error(`load process: ${String(req.op)} did not answer within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        ok: (v) => {
          clearTimeout(timer)
          ok(v as T)
        },
        fail: (e) => {
          clearTimeout(timer)
          fail(e)
        },
      })
      this.child.send({ id, req })
    })
  }

  async stop(): Promise<void> {
    if (this.exited) return
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()))
    this.request({ op: 'exit' }, 5_000).catch(() => {})
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5_000)
    await gone
    clearTimeout(t)
  }
}

/** `latencies`: sent → handled by the receiver; `reads`: sent → read by the receiving process. */
export type WindowResult = { latencies: Float64Array; reads: Float64Array; loadCpuPercent: number; loopDelayP99Ms: number; rssMiB: number }
export type StopResult = {
  sent: number
  expected: number
  lost: number
  gaps: number
  duplicates: number
  endStateErrors: number
  closedClients: number
}
export type SetupResult = { rooms: number; connectMs: number[]; httpRequests: number; rateLimited: number }
