// The load generator: one process (forked by bench/run.ts through tsx) holding whole rooms of
// clients, so that a sender's timestamp and every receiver's clock are the same clock. It answers
// requests from the runner over IPC: set rooms up, start and stop their loops, record a window of
// latencies, check that every update reached every client, run the join scenario.
// Every loop here is bounded: edits and cursors run only between `start` and `stop`, and the
// process exits by itself after BENCH_LOAD_LIMIT_MS or when the runner goes away.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as Y from 'yjs'
import { peopleOf } from '../shared/layout.js'
import { BenchClient, type Mode } from './client.js'
import { prefill } from './prefill.js'
import { prepareRoom, type PreparedRoom, type RoomPlan } from './rooms.js'
import { Samples, sleep } from './stats.js'

const LIMIT_MS = Number(process.env.BENCH_LOAD_LIMIT_MS ?? 60 * 60_000)
setTimeout(() => {
  process.stderr.write(`load: time limit of ${LIMIT_MS} ms reached, exiting\n`)
  process.exit(3)
}, LIMIT_MS).unref()
process.on('disconnect', () => process.exit(0))

const CONNECT_CONCURRENCY = 10

class LoadRoom {
  readonly clients: BenchClient[] = []
  readonly n: number
  readonly sendTimes: number[][]
  readonly sent: Int32Array
  readonly got: Int32Array
  readonly last: Int32Array
  gaps = 0
  duplicates = 0
  private timers: NodeJS.Timeout[] = []
  /** The document the lite clients of this room write on (client.ts). */
  private shared = new Y.Doc()

  constructor(
    readonly prepared: PreparedRoom,
    mode: Mode,
    private record: (readMs: number, handledMs: number) => void,
    /** Off: lite clients ignore what others write (the idle participants of the join scenario). */
    watch = true,
  ) {
    this.n = prepared.specs.length
    this.sendTimes = prepared.specs.map(() => [])
    this.sent = new Int32Array(this.n)
    this.got = new Int32Array(this.n * this.n)
    this.last = new Int32Array(this.n * this.n).fill(-1)
    prepared.specs.forEach((spec, i) => {
      // In lite rooms the first client still applies everything: it checks the end state.
      const full = mode === 'full' || i === 0
      this.clients.push(new BenchClient(spec, i, full ? 'full' : 'lite', full || watch ? this.onMarker : null, full ? null : this.shared))
    })
  }

  private onMarker = (receiver: BenchClient, sender: number, seq: number, readAt: number, handledAt: number): void => {
    if (sender === receiver.index || sender < 0 || sender >= this.n) return
    const k = receiver.index * this.n + sender
    if (seq <= this.last[k]!) {
      this.duplicates++
      return
    }
    if (seq !== this.last[k]! + 1) this.gaps++
    this.last[k] = seq
    this.got[k]!++
    const sentAt = this.sendTimes[sender]![seq]
    if (sentAt !== undefined) this.record(readAt - sentAt, handledAt - sentAt)
  }

  async connect(): Promise<number[]> {
    const times: number[] = []
    for (let i = 0; i < this.clients.length; i += CONNECT_CONCURRENCY) {
      times.push(...(await Promise.all(this.clients.slice(i, i + CONNECT_CONCURRENCY).map((c) => c.connect()))))
    }
    for (const c of this.clients) if (!c.ownText()) throw new Error(`room ${this.prepared.docName}: client ${c.index} has no people entry after sync`)
    this.prepared.release()
    return times
  }

  start(editsPerSecond: number, awarenessHz: number): void {
    this.stop()
    const every = (hz: number, f: () => void) => {
      const period = 1000 / hz
      const t = setTimeout(() => {
        f()
        this.timers.push(setInterval(f, period))
      }, Math.random() * period)
      this.timers.push(t)
    }
    for (const c of this.clients) {
      if (editsPerSecond > 0)
        every(editsPerSecond, () => {
          const seq = this.sent[c.index]!
          this.sent[c.index] = seq + 1
          this.sendTimes[c.index]![seq] = performance.now()
          c.edit(`${c.index}:${seq}`)
        })
      if (awarenessHz > 0) {
        let x = Math.random() * 1000
        let y = Math.random() * 800
        every(awarenessHz, () => {
          x += Math.random() * 20 - 10
          y += Math.random() * 20 - 10
          c.sendAwareness({ x: Math.round(x), y: Math.round(y) })
        })
      }
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers = []
  }

  /** Updates some other client has not received yet. */
  missing(): number {
    let m = 0
    for (let r = 0; r < this.n; r++)
      for (let s = 0; s < this.n; s++) if (r !== s) m += this.sent[s]! - this.got[r * this.n + s]!
    return m
  }

  expected(): number {
    let e = 0
    for (let s = 0; s < this.n; s++) e += this.sent[s]! * (this.n - 1)
    return e
  }

  /** Full clients hold every sender's last marker as that sender's text. */
  endStateErrors(): number {
    let errors = 0
    for (const c of this.clients) {
      if (c.mode !== 'full') continue
      const people = peopleOf(c.doc)
      this.prepared.specs.forEach((spec, s) => {
        if (this.sent[s] === 0) return
        const person = people.get(spec.participantId)
        const text = person instanceof Y.Map ? person.get('purpose') : undefined
        if (!(text instanceof Y.Text) || text.toString() !== `${s}:${this.sent[s]! - 1}`) errors++
      })
    }
    return errors
  }

  closedClients(): number {
    return this.clients.filter((c) => c.closed).length
  }

  close(): void {
    this.stop()
    for (const c of this.clients) c.close()
    this.shared.destroy()
  }
}

// ---- process state ------------------------------------------------------------------------------

const groups = new Map<string, LoadRoom[]>()
const latencies = new Samples()
const reads = new Samples()
let recording = false
const record = (readMs: number, handledMs: number) => {
  if (!recording) return
  reads.push(readMs)
  latencies.push(handledMs)
}
const loop = monitorEventLoopDelay({ resolution: 10 })
loop.enable()

/** Latencies recorded, this process's CPU and its event-loop delay while `run` runs. */
async function measure(run: () => Promise<void>) {
  latencies.clear()
  reads.clear()
  loop.reset()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  recording = true
  await run()
  recording = false
  const cpu = process.cpuUsage(cpu0)
  const elapsed = performance.now() - t0
  return {
    latencies: latencies.toArray(),
    reads: reads.toArray(),
    loadCpuPercent: ((cpu.user + cpu.system) / 1000 / elapsed) * 100,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  }
}

/** Waits until every update sent has reached every other client, or `ms` has passed. */
async function drain(rooms: LoadRoom[], ms: number): Promise<void> {
  const until = performance.now() + ms
  while (performance.now() < until && rooms.some((r) => r.missing() > 0)) await sleep(5)
}

type Request =
  | { op: 'setup'; group: string; plans: RoomPlan[]; mode: Mode }
  | { op: 'start'; group: string; editsPerSecond: number; awarenessHz: number }
  | { op: 'window'; ms: number }
  | { op: 'slice'; group: string; editsPerSecond: number; ms: number; drainMs: number }
  | { op: 'stop'; group: string; drainMs: number }
  | { op: 'close'; group: string }
  | { op: 'join'; plan: RoomPlan; joins: number; typingChunk: number }
  | { op: 'exit' }

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'setup': {
      const rooms = groups.get(req.group) ?? []
      groups.set(req.group, rooms)
      const connectMs: number[] = []
      let httpRequests = 0
      let rateLimited = 0
      for (const plan of req.plans) {
        const prepared = await prepareRoom(plan)
        httpRequests += prepared.counters.httpRequests
        rateLimited += prepared.counters.rateLimited
        const room = new LoadRoom(prepared, req.mode, record)
        rooms.push(room)
        connectMs.push(...(await room.connect()))
      }
      return { rooms: rooms.length, connectMs, httpRequests, rateLimited }
    }
    case 'start': {
      for (const r of groups.get(req.group) ?? []) r.start(req.editsPerSecond, req.awarenessHz)
      return { rooms: groups.get(req.group)?.length ?? 0 }
    }
    case 'window':
      return measure(() => sleep(req.ms))
    case 'slice': {
      // One group edits for `ms`, then stops; every delivery of what it sent in that time is
      // recorded, however late it arrives (within `drainMs`).
      const rooms = groups.get(req.group) ?? []
      return measure(async () => {
        for (const r of rooms) r.start(req.editsPerSecond, 0)
        await sleep(req.ms)
        for (const r of rooms) r.stop()
        await drain(rooms, req.drainMs)
      })
    }
    case 'stop': {
      const rooms = groups.get(req.group) ?? []
      for (const r of rooms) r.stop()
      await drain(rooms, req.drainMs)
      const sum = (f: (r: LoadRoom) => number) => rooms.reduce((n, r) => n + f(r), 0)
      return {
        sent: sum((r) => r.sent.reduce((a, b) => a + b, 0)),
        expected: sum((r) => r.expected()),
        lost: sum((r) => r.missing()),
        gaps: sum((r) => r.gaps),
        duplicates: sum((r) => r.duplicates),
        endStateErrors: sum((r) => r.endStateErrors()),
        closedClients: sum((r) => r.closedClients()),
      }
    }
    case 'close': {
      for (const r of groups.get(req.group) ?? []) r.close()
      groups.delete(req.group)
      return {}
    }
    case 'join':
      return joinScenario(req.plan, req.joins, req.typingChunk)
    case 'exit':
      setImmediate(() => process.exit(0))
      return {}
  }
}

/** A board of `plan.participants` people with realistic content, then late joiners one by one. */
async function joinScenario(plan: RoomPlan, joins: number, typingChunk: number): Promise<unknown> {
  const t0 = performance.now()
  const prepared = await prepareRoom(plan)
  const t1 = performance.now()
  const room = new LoadRoom(prepared, 'lite', () => {}, false)
  await room.connect()
  const t2 = performance.now()
  const updates = await prefill(room.clients, typingChunk)
  const t3 = performance.now()
  const phasesMs = { prepare: t1 - t0, connect: t2 - t1, prefill: t3 - t2 }
  const board = Y.encodeStateAsUpdate(room.clients[0]!.doc)
  const httpMs: number[] = []
  const syncMs: number[] = []
  const totalMs: number[] = []
  try {
    for (let k = 0; k < joins; k++) {
      const t0 = performance.now()
      const spec = await prepared.join(`Late ${k + 1}`)
      const t1 = performance.now()
      const c = new BenchClient(spec, 1000 + k, 'full', null)
      syncMs.push(await c.connect())
      totalMs.push(performance.now() - t0)
      httpMs.push(t1 - t0)
      const people = peopleOf(c.doc).size
      c.close()
      if (people < plan.participants) throw new Error(`late joiner saw ${people} people, expected ≥ ${plan.participants}`)
      await sleep(100)
    }
  } finally {
    room.close()
  }
  return { updates, boardBytes: board.length, httpMs, syncMs, totalMs, rateLimited: prepared.counters.rateLimited, phasesMs }
}

process.on('message', (msg: { id: number; req: Request }) => {
  handle(msg.req).then(
    (result) => process.send!({ id: msg.id, ok: true, result }),
    (err: unknown) => process.send!({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  )
})
process.send!({ id: 0, ok: true, result: 'ready' })
