// The Bus contract (server/bus/bus.ts), run against every implementation: the in-process bus for
// what applies to one node, and two Redis buses (two nodes) when REDIS_URL is set.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Bus } from '../../server/bus/bus.js'
import { createBus, redisNamespace } from '../../server/bus/index.js'
import { LocalBus } from '../../server/bus/local.js'
import { RedisBus } from '../../server/bus/redis.js'
import { createLogger } from '../../server/log.js'
import { markRedisActive } from '../support/cluster.js'
import { waitFor } from '../support/server.js'

const REDIS_URL = process.env.REDIS_URL
if (!REDIS_URL) console.warn('Redis bus contract skipped: REDIS_URL is not set (e.g. redis://127.0.0.1:6379)')

const log = createLogger('silent', 'test')

// Tells the suite that restarts Redis to wait for this one.
let done: () => Promise<void> = async () => {}
beforeAll(async () => {
  done = await markRedisActive()
})
afterAll(() => done())
const unique = () => randomBytes(6).toString('hex')

type Impl = { name: string; nodes: 1 | 2; make(): Promise<Bus[]> }

const impls: Impl[] = [{ name: 'LocalBus', nodes: 1, make: async () => [new LocalBus()] }]
if (REDIS_URL) {
  impls.push({
    name: 'RedisBus',
    nodes: 2,
    make: async () => {
      // One namespace per run: Redis is shared with other suites.
      const prefix = `kasane-test-${unique()}:`
      const a = new RedisBus({ url: REDIS_URL, log, prefix })
      const b = new RedisBus({ url: REDIS_URL, log, prefix })
      await Promise.all([a.whenReady(10_000), b.whenReady(10_000)])
      return [a, b]
    },
  })
}

describe.each(impls)('Bus contract: $name', (impl) => {
  let buses: Bus[] = []
  afterEach(async () => {
    await Promise.all(buses.map((b) => b.close()))
    buses = []
  })
  const make = async () => (buses = await impl.make())

  it('counts hits in a fixed window and starts over after it', async () => {
    const nodes = await make()
    const key = `k-${unique()}`
    const counts: number[] = []
    for (let i = 0; i < 4; i++) counts.push(await nodes[i % nodes.length]!.hit(key, 60_000))
    // Shared by every node: the count goes on across them.
    expect(counts).toEqual([1, 2, 3, 4])
    expect(await nodes[0]!.hit(`other-${unique()}`, 60_000)).toBe(1)

    // Hitting all the time must not stretch the window (a sliding expiry would never reset).
    const short = `short-${unique()}`
    const started = Date.now()
    expect(await nodes[0]!.hit(short, 300)).toBe(1)
    await waitFor(async () => (await nodes[nodes.length - 1]!.hit(short, 300)) === 1, 'a fresh window', 3_000)
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
  })

  it('grants a lease to its holder again and again, and again after release', async () => {
    const [a] = await make()
    const key = `lease-${unique()}`
    expect(await a!.lease(key, 5_000)).toBe(true)
    expect(await a!.lease(key, 5_000)).toBe(true)
    await a!.release(key)
    expect(await a!.lease(key, 5_000)).toBe(true)
    await a!.release(key)
  })

  it('never delivers a message back to the node that published it', async () => {
    const [a] = await make()
    const channel = `c-${unique()}`
    const own: Uint8Array[] = []
    a!.subscribe(channel, (m) => own.push(m))
    a!.publish(channel, new Uint8Array([1, 2, 3]))
    if (impl.nodes === 1) {
      // Nothing asynchronous may be in flight either.
      await new Promise((r) => setImmediate(r))
      expect(own).toEqual([])
    }
  })

  it('gives every subscription its own way out', async () => {
    const [a] = await make()
    const off = a!.subscribe(`c-${unique()}`, () => {})
    off()
    off() // a second call is harmless
  })
})

describe.skipIf(!REDIS_URL)('Bus contract between two Redis nodes', () => {
  let a: RedisBus
  let b: RedisBus
  let prefix: string
  let admin: Redis

  beforeAll(async () => {
    prefix = `kasane-test-${unique()}:`
    a = new RedisBus({ url: REDIS_URL!, log, prefix })
    b = new RedisBus({ url: REDIS_URL!, log, prefix })
    admin = new Redis(REDIS_URL!)
    await Promise.all([a.whenReady(10_000), b.whenReady(10_000)])
  })
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()])
    admin?.disconnect()
  })

  /** Waits until `channel` has exactly `n` subscribed connections in Redis. */
  const subscribers = (channel: string, n: number) =>
    waitFor(async () => {
      const res = (await admin.pubsub('NUMSUB', prefix + channel)) as [string, number]
      return Number(res[1]) === n
    }, `${n} subscribers on ${channel}`, 5_000)

  it('delivers to the other node, not back to the publisher, bytes intact', async () => {
    const channel = `doc:${unique()}`
    const onA: Uint8Array[] = []
    const onB: Uint8Array[] = []
    a.subscribe(channel, (m) => onA.push(m))
    b.subscribe(channel, (m) => onB.push(m))
    await subscribers(channel, 2)

    const every = Uint8Array.from({ length: 256 }, (_, i) => i)
    const big = new Uint8Array(randomBytes(300_000))
    a.publish(channel, every)
    a.publish(channel, new Uint8Array(0))
    a.publish(channel, big)
    await waitFor(() => onB.length === 3, 'three messages on B')
    expect(onB[0]).toEqual(every)
    expect(onB[1]).toEqual(new Uint8Array(0))
    expect(Buffer.from(onB[2]!).equals(Buffer.from(big))).toBe(true)

    // Redis delivers in publish order on each connection: once A has B's fence, anything A
    // would have had of its own would be there already.
    b.publish(channel, new Uint8Array([0xfe]))
    await waitFor(() => onA.length >= 1, 'the fence on A')
    expect(onA).toEqual([new Uint8Array([0xfe])])
  })

  it('subscribes once per channel and unsubscribes when the last handler leaves', async () => {
    const channel = `doc:${unique()}`
    const first: Uint8Array[] = []
    const second: Uint8Array[] = []
    const off1 = b.subscribe(channel, (m) => first.push(m))
    const off2 = b.subscribe(channel, (m) => second.push(m))
    await subscribers(channel, 1)

    a.publish(channel, new Uint8Array([1]))
    await waitFor(() => first.length === 1 && second.length === 1, 'both handlers')

    off1()
    a.publish(channel, new Uint8Array([2]))
    await waitFor(() => second.length === 2, 'the remaining handler')
    expect(first).toEqual([new Uint8Array([1])])

    off2()
    await subscribers(channel, 0)
    a.publish(channel, new Uint8Array([3]))
    // The channel is gone from Redis: nothing can arrive. A new subscriber starts clean.
    const third: Uint8Array[] = []
    b.subscribe(channel, (m) => third.push(m))
    await subscribers(channel, 1)
    a.publish(channel, new Uint8Array([4]))
    await waitFor(() => third.length === 1, 'a new subscription')
    expect(third).toEqual([new Uint8Array([4])])
    expect(second).toEqual([new Uint8Array([1]), new Uint8Array([2])])
  })

  it('shares one lease between the nodes: one holder, the other after release or expiry', async () => {
    const key = `timer:${unique()}`
    expect(await a.lease(key, 10_000)).toBe(true)
    expect(await b.lease(key, 10_000)).toBe(false)
    expect(await a.lease(key, 10_000)).toBe(true) // renewal
    await b.release(key) // not the holder: changes nothing
    expect(await b.lease(key, 10_000)).toBe(false)
    await a.release(key)
    expect(await b.lease(key, 300)).toBe(true)
    expect(await a.lease(key, 300)).toBe(false)

    // B stops renewing (it died): A gets the lease once it lapses, not before.
    const taken = Date.now()
    await waitFor(() => a.lease(key, 10_000), 'the lease after expiry', 3_000)
    expect(Date.now() - taken).toBeGreaterThanOrEqual(200)
    expect(await b.lease(key, 10_000)).toBe(false)
    await a.release(key)
  })

  it('tells after its subscriber connection was killed and re-subscribed, and delivery resumes', async () => {
    const channel = `doc:${unique()}`
    const onB: Uint8Array[] = []
    b.subscribe(channel, (m) => onB.push(m))
    await subscribers(channel, 1)
    let reconnects = 0
    b.onReconnect(() => {
      reconnects++
    })

    const list = (await admin.client('LIST')) as string
    const line = list.split('\n').find((l) => l.includes(` name=kasane-sub-${b.nodeId} `))
    const id = line?.match(/^id=(\d+)/)?.[1]
    expect(id, 'the subscriber connection of B').toBeTruthy()
    expect(await admin.client('KILL', 'ID', id!)).toBe(1)

    await waitFor(() => reconnects === 1, 'onReconnect on B', 10_000)
    // It fires only once subscribed again, so this publish cannot fall into a gap.
    a.publish(channel, new Uint8Array([7, 7]))
    await waitFor(() => onB.length === 1, 'delivery after the reconnect')
    expect(onB).toEqual([new Uint8Array([7, 7])])
  })
})

describe('Redis bus without a reachable Redis', () => {
  it('never throws: hits are allowed, leases are not claimed, publishes are dropped', async () => {
    // Port 9 (discard) has no Redis on this machine: every connection attempt fails.
    const bus = new RedisBus({ url: 'redis://127.0.0.1:9', log, prefix: `kasane-test-${unique()}:` })
    try {
      const got: Uint8Array[] = []
      bus.subscribe('c', (m) => got.push(m))
      bus.publish('c', new Uint8Array([1]))
      expect(await bus.hit('k', 1000)).toBe(1)
      expect(await bus.hit('k', 1000)).toBe(1)
      expect(await bus.lease('l', 1000)).toBe(false)
      await bus.release('l')
      await expect(bus.whenReady(200)).rejects.toThrow(/not reachable/)
    } finally {
      await bus.close()
    }
  })
})

describe('createBus', () => {
  it('is in-process without REDIS_URL', async () => {
    const setup = await createBus({ redisUrl: undefined }, log)
    expect(setup.bus).toBeInstanceOf(LocalBus)
    expect(setup.socketIoAdapter).toBeUndefined()
    await setup.close()
  })

  it('keeps deployments on different Redis databases apart', () => {
    expect(redisNamespace('redis://127.0.0.1:6379')).toBe('kasane:')
    expect(redisNamespace('redis://127.0.0.1:6379/0')).toBe('kasane:')
    expect(redisNamespace('redis://127.0.0.1:6379/7')).toBe('kasane:7:')
  })

  it.skipIf(!REDIS_URL)('is Redis with a socket.io adapter with REDIS_URL', async () => {
    const setup = await createBus({ redisUrl: REDIS_URL }, log, { nodeId: `n-${unique()}` })
    try {
      expect(setup.bus).toBeInstanceOf(RedisBus)
      expect(typeof setup.socketIoAdapter).toBe('function')
    } finally {
      await setup.close()
    }
  })
})
