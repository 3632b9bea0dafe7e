// SPEC §8 when Redis itself goes away: the nodes keep serving their own clients, and once Redis is
// back, documents, presence and the control plane converge again across nodes.
//
// !!! This suite RESTARTS THE MACHINE'S REDIS (shutdown nosave, then the CI start command). Other
// suites share that Redis, so the restart is the last step of the file's only test, the window is
// kept short, and the test waits until Redis answers PING before it goes on (and in any case
// before it ends). It runs only against a local Redis on 127.0.0.1:6379.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, peopleOf } from '../../shared/layout.js'
import { REDIS_URL, canCluster, othersUsingRedis, startCluster, type Cluster, type ClusterNode } from '../support/cluster.js'
import { connectControl, type ControlClient } from '../support/control.js'
import { createWorkshop, joinWorkshop, waitFor } from '../support/server.js'
import { connectDoc, type Client } from '../support/yjs.js'

const run = promisify(execFile)
const local = (() => {
  try {
    const u = new URL(REDIS_URL ?? '')
    return ['127.0.0.1', 'localhost'].includes(u.hostname) && (u.port || '6379') === '6379'
  } catch {
    return false
  }
})()
if (canCluster && !local) console.warn('Redis restart suite skipped: it restarts only a local Redis on 127.0.0.1:6379')

// The command CI starts Redis with (.ci/run).
const REDIS_START = ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log']

async function redisAnswers(): Promise<boolean> {
  const r = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 })
  r.on('error', () => {})
  try {
    await r.connect()
    return (await r.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    r.disconnect()
  }
}

const text = (doc: Y.Doc, pid: string) => peopleOf(doc).get(pid)?.get(PERSON.purpose) as Y.Text | undefined
const read = (doc: Y.Doc, pid: string) => text(doc, pid)?.toString() ?? ''
const append = (doc: Y.Doc, pid: string, s: string) => {
  const t = text(doc, pid)!
  t.insert(t.length, s)
}
type Presence = { user?: { participantId: string | null }; cursor?: { x: number } }
const cursorOf = (c: Client, pid: string) =>
  ([...c.provider.awareness.getStates().values()] as Presence[]).find((s) => s.user?.participantId === pid)?.cursor?.x

describe.skipIf(!canCluster || !local)('multi-node: Redis restarted mid-session (restarts the local Redis)', () => {
  let cluster: Cluster
  let n0: ClusterNode, n1: ClusterNode
  const clients: Client[] = []
  const sockets: ControlClient[] = []

  beforeAll(async () => {
    cluster = await startCluster(2)
    ;[n0, n1] = cluster.nodes as [ClusterNode, ClusterNode]
  })
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') console.log(cluster.describe())
  })
  afterAll(async () => {
    clients.forEach((c) => c.destroy())
    sockets.forEach((s) => s.close())
    // Whatever happened above, Redis is left answering.
    if (!(await redisAnswers())) await run('redis-server', REDIS_START).catch(() => {})
    await waitFor(() => redisAnswers(), 'Redis answering PING', 30_000).catch(() => {})
    await cluster?.close()
  })

  it('[restarts Redis] documents, presence and control converge across nodes after Redis comes back', async () => {
    const ws = await createWorkshop(n0.url)
    const alice = await joinWorkshop(n0.url, ws.code, 'Alice')
    const bob = await joinWorkshop(n1.url, ws.code, 'Bob')
    const a = connectDoc(n0.wsUrl, ws.code, alice.participantToken)
    const b = connectDoc(n1.wsUrl, ws.code, bob.participantToken)
    clients.push(a, b)
    const fac = connectControl(n0.url, ws.facilitatorToken)
    const pb = connectControl(n1.url, bob.participantToken)
    sockets.push(fac, pb)
    await Promise.all([a.synced(), b.synced()])
    await pb.until((s) => s.phaseIndex === 0, 'bob\'s first state')

    append(a.doc, alice.participantId, 'before.')
    await waitFor(() => read(b.doc, alice.participantId) === 'before.', 'bob sees alice before the restart')

    // Only once no other Kasane suite is using Redis (each marks itself while it does).
    await waitFor(async () => (await othersUsingRedis(1)) === 0, 'other suites to finish with Redis', 400_000)

    // ---- Redis goes away: each node keeps serving its own clients.
    await run('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'shutdown', 'nosave']).catch(() => {})
    try {
      await waitFor(async () => !(await redisAnswers()), 'Redis down', 10_000)
      append(a.doc, alice.participantId, 'during-a.')
      append(b.doc, bob.participantId, 'during-b.')
      expect(read(b.doc, bob.participantId)).toBe('during-b.')
      // Both nodes gave up relaying these edits: they can only come back from the store.
      await waitFor(() => cluster.nodes.every((n) => n.logs.some((l) => l.includes('"msg":"bus messages dropped while Redis is away"'))), 'both nodes dropping their fan-out', 10_000)
    } finally {
      await run('redis-server', REDIS_START).catch(() => {})
      await waitFor(() => redisAnswers(), 'Redis answering PING again', 30_000)
    }
    await cluster.renewRedisClaim()

    // ---- Back: what each node stored while the fan-out was down reaches the other node.
    await waitFor(() => cluster.nodes.every((n) => n.logs.some((l) => l.includes('"msg":"bus reconnected"'))), 'both nodes subscribed again', 20_000)
    await waitFor(() => read(b.doc, alice.participantId) === 'before.during-a.', 'bob catches up with alice', 20_000)
    await waitFor(() => read(a.doc, bob.participantId) === 'during-b.', 'alice catches up with bob', 20_000)

    // And live traffic flows again: edits, presence, control.
    append(a.doc, alice.participantId, 'after.')
    await waitFor(() => read(b.doc, alice.participantId) === 'before.during-a.after.', 'a live edit after the restart', 20_000)
    a.provider.awareness.setLocalState({ user: { participantId: alice.participantId, name: 'Alice', color: alice.color }, cursor: { x: 42, y: 0 } })
    await waitFor(() => cursorOf(b, alice.participantId) === 42, 'alice\'s cursor on node 1 after the restart', 20_000)
    await waitFor(async () => (await fac.send('phase:goto', { index: 3 })).ok, 'a command accepted after the restart', 20_000)
    await pb.until((s) => s.phaseIndex === 3, 'the phase on node 1 after the restart', 20_000)

    await waitFor(() => Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))), 'the same document on both nodes')
    expect(peopleOf(a.doc).toJSON()).toEqual(peopleOf(b.doc).toJSON())
  }, 600_000)
})
