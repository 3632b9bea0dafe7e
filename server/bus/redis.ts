// Fan-out and shared counters for many nodes, on Redis: PUB/SUB for messages, plain keys for
// counters and leases. Redis is a helper here, never the truth (that is the store), so when it is
// unreachable the node keeps serving its own clients and catches up through `onReconnect`.
import { Redis, type RedisOptions } from 'ioredis'
import { nanoid } from 'nanoid'
import type { Logger } from '../log.js'
import type { Bus, BusHandler } from './bus.js'

export type RedisBusOptions = {
  url: string
  log: Logger
  /** Namespace of every channel and key, so deployments (and test runs) sharing a Redis stay apart. */
  prefix?: string
  nodeId?: string
}

// A node holding a lease renews it when this answers; compare-and-pexpire so that a lease that
// expired and was taken by another node is never extended on its behalf.
const LEASE = `
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

type Scripts = {
  kasaneLease(key: string, node: string, ttl: number): Promise<number>
  kasaneRelease(key: string, node: string): Promise<number>
}

// Commands never wait long for a Redis that does not answer: publishes queued while it is away are
// dropped after this (the receivers resync from the store when they reconnect), and counters and
// leases answer with their fallbacks.
const COMMAND_TIMEOUT_MS = 1500

export class RedisBus implements Bus {
  readonly nodeId: string
  private readonly prefix: string
  private readonly header: Buffer
  private readonly pub: Redis & Scripts
  private readonly sub: Redis
  private readonly handlers = new Map<string, Set<BusHandler>>()
  private readonly reconnectHandlers: Array<() => void> = []
  /** Leases this node believes it holds, with when they lapse, for answering while Redis is away. */
  private readonly held = new Map<string, number>()
  private subReadyOnce = false
  private subLost = false
  private dropping = false
  private closed = false
  private readonly ready: Promise<void>

  constructor(private readonly o: RedisBusOptions) {
    this.nodeId = o.nodeId ?? nanoid(10)
    this.prefix = o.prefix ?? 'kasane:'
    const id = Buffer.from(this.nodeId, 'utf8')
    if (id.length > 255) throw new Error('node id too long')
    // Every message starts with the publisher's node id, so a node can drop its own echo.
    this.header = Buffer.concat([Buffer.from([id.length]), id])

    const common: RedisOptions = { commandTimeout: COMMAND_TIMEOUT_MS, lazyConnect: false }
    this.pub = new Redis(o.url, { ...common, connectionName: `kasane-pub-${this.nodeId}` }) as Redis & Scripts
    this.pub.defineCommand('kasaneLease', { numberOfKeys: 1, lua: LEASE })
    this.pub.defineCommand('kasaneRelease', { numberOfKeys: 1, lua: RELEASE })
    // We subscribe ourselves on `ready` (rather than ioredis's autoResubscribe, which fires `ready`
    // before re-subscribing), so `onReconnect` means "subscribed again".
    this.sub = new Redis(o.url, { ...common, autoResubscribe: false, connectionName: `kasane-sub-${this.nodeId}` })

    this.watch(this.pub, 'publisher')
    this.pub.on('ready', () => {
      this.dropping = false
    })
    this.watch(this.sub, 'subscriber')
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.deliver(channel, message))
    this.sub.on('close', () => {
      if (this.subReadyOnce) this.subLost = true
    })
    this.sub.on('ready', () => void this.onSubscriberReady())
    this.ready = Promise.all([this.readyOf(this.pub), this.readyOf(this.sub)]).then(() => {})
  }

  /** Resolves once both connections have been ready once (a node starts only with Redis up). */
  whenReady(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis not reachable within ${timeoutMs} ms`)), timeoutMs)
    })
    return Promise.race([this.ready, timeout]).finally(() => clearTimeout(timer))
  }

  publish(channel: string, message: Uint8Array): void {
    if (this.closed) return
    const frame = Buffer.concat([this.header, message])
    this.pub.publish(this.prefix + channel, frame).catch((err: unknown) => {
      // Once per outage: receivers catch up from the store when their subscriber is back.
      if (this.dropping || this.closed) return
      this.dropping = true
      this.o.log.warn('bus messages dropped while Redis is away', { error: String(err) })
    })
  }

  subscribe(channel: string, handler: BusHandler): () => void {
    const name = this.prefix + channel
    let set = this.handlers.get(name)
    if (!set) {
      this.handlers.set(name, (set = new Set()))
      if (this.sub.status === 'ready') this.send('subscribe', name)
    }
    set.add(handler)
    let done = false
    return () => {
      if (done) return
      done = true
      const current = this.handlers.get(name)
      if (!current?.delete(handler) || current.size > 0) return
      this.handlers.delete(name)
      if (this.sub.status === 'ready' && !this.closed) this.send('unsubscribe', name)
    }
  }

  async hit(key: string, windowMs: number): Promise<number> {
    // Fails open: when Redis is down a limit is not enforced rather than locking real people out
    // of their workshop; every node still serves its own clients.
    if (this.pub.status !== 'ready') return 1
    const k = `${this.prefix}hit:${key}`
    try {
      const res = await this.pub.multi().incr(k).pexpire(k, windowMs, 'NX').exec()
      const count = res?.[0]?.[1]
      return typeof count === 'number' ? count : 1
    } catch (err) {
      this.o.log.warn('bus hit failed; allowing', { error: String(err) })
      return 1
    }
  }

  async lease(key: string, ttlMs: number): Promise<boolean> {
    const k = `${this.prefix}lease:${key}`
    const started = Date.now()
    try {
      if (this.pub.status !== 'ready') throw new Error('redis not ready')
      const got = (await this.pub.kasaneLease(k, this.nodeId, ttlMs)) === 1
      if (got) this.held.set(k, started + ttlMs)
      else this.held.delete(k)
      if (this.held.size > 10_000) this.forgetLapsed()
      return got
    } catch (err) {
      // Nobody can take a lease from us before it lapses, so what we held stays ours until then;
      // after that we claim nothing we cannot prove.
      const until = this.held.get(k)
      this.o.log.debug('bus lease failed', { error: String(err) })
      if (until !== undefined && Date.now() < until) return true
      this.held.delete(k)
      return false
    }
  }

  async release(key: string): Promise<void> {
    const k = `${this.prefix}lease:${key}`
    this.held.delete(k)
    if (this.pub.status !== 'ready') return // it lapses by itself
    try {
      await this.pub.kasaneRelease(k, this.nodeId)
    } catch (err) {
      this.o.log.debug('bus release failed', { error: String(err) })
    }
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.handlers.clear()
    await Promise.all([quit(this.pub), quit(this.sub)])
  }

  /** Leases are often left to lapse rather than released; their memory here lapses with them. */
  private forgetLapsed(): void {
    const now = Date.now()
    for (const [k, until] of this.held) if (until <= now) this.held.delete(k)
  }

  private deliver(channelBytes: Buffer, frame: Buffer): void {
    const len = frame[0]
    if (len === undefined || frame.length < 1 + len) return
    if (len === this.header.length - 1 && frame.compare(this.header, 0, this.header.length, 0, this.header.length) === 0) return
    const set = this.handlers.get(channelBytes.toString('utf8'))
    if (!set) return
    // A copy, so that a handler keeping the bytes never sees the parser's buffer change.
    const message = new Uint8Array(frame.subarray(1 + len))
    for (const h of [...set]) {
      try {
        h(message)
      } catch (err) {
        this.o.log.error('bus handler failed', { error: String(err) })
      }
    }
  }

  private async onSubscriberReady(): Promise<void> {
    const first = !this.subReadyOnce
    this.subReadyOnce = true
    const channels = [...this.handlers.keys()]
    try {
      if (channels.length) await this.sub.subscribe(...channels)
    } catch (err) {
      this.o.log.warn('bus resubscribe failed', { error: String(err) })
      this.forceReconnect()
      return
    }
    if (first || !this.subLost || this.closed) return
    this.subLost = false
    this.o.log.info('bus reconnected', { channels: channels.length })
    for (const h of [...this.reconnectHandlers]) {
      try {
        h()
      } catch (err) {
        this.o.log.error('bus reconnect handler failed', { error: String(err) })
      }
    }
  }

  private send(command: 'subscribe' | 'unsubscribe', channel: string): void {
    this.sub[command](channel).catch((err: unknown) => {
      if (this.closed) return
      // A subscription we cannot confirm would silently miss messages: start the connection over,
      // which subscribes to everything again and tells `onReconnect` listeners to catch up.
      this.o.log.warn(`bus ${command} failed`, { error: String(err) })
      this.forceReconnect()
    })
  }

  private forceReconnect(): void {
    if (this.closed || this.sub.status !== 'ready') return
    this.subLost = true
    this.sub.disconnect(true)
  }

  private readyOf(r: Redis): Promise<void> {
    return r.status === 'ready' ? Promise.resolve() : new Promise((resolve) => r.once('ready', () => resolve()))
  }

  /** Logs the first error after each healthy period, not every retry. */
  private watch(r: Redis, role: string): void {
    let quiet = false
    r.on('error', (err: Error) => {
      if (quiet || this.closed) return
      quiet = true
      this.o.log.warn('redis connection error', { role, error: err.message })
    })
    r.on('ready', () => {
      if (quiet) this.o.log.info('redis connection back', { role })
      quiet = false
    })
  }
}

async function quit(r: Redis): Promise<void> {
  if (r.status === 'ready') {
    try {
      await r.quit()
      return
    } catch {
      // fall through
    }
  }
  r.disconnect()
}
