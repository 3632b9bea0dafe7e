// SPEC §8 for the control plane: the state and the timers are the same on every node, and a
// timer still finishes when the node it was started on dies.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { canCluster, startCluster, type Cluster, type ClusterNode } from '../support/cluster.js'
import { connectControl, type ControlClient } from '../support/control.js'
import { createWorkshop, joinWorkshop } from '../support/server.js'

describe.skipIf(!canCluster)('multi-node: the control plane', () => {
  let cluster: Cluster
  let n0: ClusterNode, n1: ClusterNode, n2: ClusterNode
  const sockets: ControlClient[] = []
  const control = (node: ClusterNode, token: string) => {
    const c = connectControl(node.url, token)
    sockets.push(c)
    return c
  }

  beforeAll(async () => {
    cluster = await startCluster(3)
    ;[n0, n1, n2] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode]
  })
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') console.log(cluster.describe())
  })
  afterAll(async () => {
    sockets.forEach((s) => s.close())
    await cluster?.close()
  })

  it('the facilitator on one node moves the phase and participants on the others get the new state', async () => {
    const ws = await createWorkshop(n0.url)
    const alice = await joinWorkshop(n1.url, ws.code, 'Alice')
    const bob = await joinWorkshop(n2.url, ws.code, 'Bob')
    const fac = control(n0, ws.facilitatorToken)
    const a = control(n1, alice.participantToken)
    const b = control(n2, bob.participantToken)

    // Who is online is counted over every node.
    await fac.until((s) => s.roster.length === 2 && s.roster.every((p) => p.online), 'both participants online for the facilitator')
    await a.until((s) => s.phaseIndex === 0, 'alice\'s first state')
    await b.until((s) => s.phaseIndex === 0, 'bob\'s first state')

    expect(await fac.send('phase:goto', { index: 2 })).toEqual({ ok: true })
    for (const c of [a, b, fac]) await c.until((s) => s.phaseIndex === 2 && s.timer.status === 'idle', 'phase 2 everywhere')

    // And the other way: a participant's command on node 1 reaches the facilitator on node 0.
    expect(await a.send('ready:set', { ready: true })).toEqual({ ok: true })
    await fac.until((s) => s.roster.find((p) => p.participantId === alice.participantId)?.ready === true, 'alice ready for the facilitator')
    await b.until((s) => s.roster.find((p) => p.participantId === alice.participantId)?.ready === true, 'alice ready for bob')

    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    await b.until((s) => s.locked, 'the lock on node 2')

    // A participant leaving one node is offline for everyone.
    b.close()
    await fac.until((s) => s.roster.find((p) => p.participantId === bob.participantId)?.online === false, 'bob offline for the facilitator')
  })

  it('a timer finishes, announced by the other nodes, when the node it was started on is killed (-9)', async () => {
    const ws = await createWorkshop(n0.url)
    const alice = await joinWorkshop(n1.url, ws.code, 'Alice')
    const bob = await joinWorkshop(n2.url, ws.code, 'Bob')
    const fac = control(n0, ws.facilitatorToken)
    const a = control(n1, alice.participantToken)
    const b = control(n2, bob.participantToken)
    await fac.until((s) => s.roster.every((p) => p.online), 'everyone online')
    await a.until(() => true, 'alice connected')
    await b.until(() => true, 'bob connected')

    expect(await fac.send('timer:start', { seconds: 2 })).toEqual({ ok: true })
    const running = await a.until((s) => s.timer.status === 'running', 'the timer running for alice')
    await b.until((s) => s.timer.status === 'running', 'the timer running for bob')
    const endsAt = running.timer.endsAt!
    await n0.kill()

    for (const c of [a, b]) {
      const done = await c.until((s) => s.timer.status === 'done', 'the timer done without its node', 20_000)
      expect(done.timer.remainingMs).toBe(0)
      expect(done.timer.endsAt).toBeNull()
      expect(done.serverTime).toBeGreaterThanOrEqual(endsAt)
    }

    // The facilitator carries on through another node and finds the same state.
    const fac2 = control(n1, ws.facilitatorToken)
    await fac2.until((s) => s.timer.status === 'done', 'done for the facilitator on node 1')
    expect(await fac2.send('phase:goto', { index: 1 })).toEqual({ ok: true })
    await b.until((s) => s.phaseIndex === 1, 'the next phase on node 2')
    await n0.start()
  })
})
