// SPEC §8 for the facilitator's authority: a removal, a lock or a deletion decided on one node
// holds on every node, for connections that are already open there.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE } from '../../shared/protocol.js'
import { PERSON, peopleOf } from '../../shared/layout.js'
import { canCluster, startCluster, type Cluster, type ClusterNode } from '../support/cluster.js'
import { connectControl, type ControlClient } from '../support/control.js'
import { api, createWorkshop, joinWorkshop, waitFor } from '../support/server.js'
import { connectDoc, upgradeStatus, type Client } from '../support/yjs.js'

const purpose = (doc: Y.Doc, pid: string) => peopleOf(doc).get(pid)?.get(PERSON.purpose) as Y.Text | undefined

describe.skipIf(!canCluster)('multi-node: the facilitator\'s authority on every node', () => {
  let cluster: Cluster
  let n0: ClusterNode, n1: ClusterNode, n2: ClusterNode
  const clients: Client[] = []
  const sockets: ControlClient[] = []
  const doc = (node: ClusterNode, room: string, token: string) => {
    const c = connectDoc(node.wsUrl, room, token)
    clients.push(c)
    return c
  }
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
    clients.forEach((c) => c.destroy())
    sockets.forEach((s) => s.close())
    await cluster?.close()
  })

  it('a participant removed on one node is cut off (4401) on the others, and cannot come back', async () => {
    const ws = await createWorkshop(n0.url)
    const alice = await joinWorkshop(n1.url, ws.code, 'Alice')
    const board = doc(n1, ws.code, alice.participantToken)
    const notebook = doc(n2, `${ws.code}/notebook/${alice.participantId}`, alice.participantToken)
    const plane = control(n2, alice.participantToken)
    await Promise.all([board.synced(), notebook.synced()])
    await plane.until(() => true, 'alice\'s state')
    const fac = control(n0, ws.facilitatorToken)
    await fac.until((s) => s.roster.some((p) => p.participantId === alice.participantId && p.online), 'alice online')

    expect(await fac.send('participant:remove', { participantId: alice.participantId })).toEqual({ ok: true })
    await waitFor(() => board.closes.includes(CLOSE.REVOKED), 'the board connection on node 1 closed with 4401')
    await waitFor(() => notebook.closes.includes(CLOSE.REVOKED) || notebook.closes.includes(CLOSE.DELETED), 'the notebook on node 2 closed')
    await waitFor(() => !plane.socket.connected, 'the control connection on node 2 closed')

    for (const node of [n0, n1, n2]) {
      expect(await upgradeStatus(`${node.wsUrl}/yjs/${ws.code}?token=${alice.participantToken}`)).toBe(401)
      expect((await api(`${node.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${alice.participantToken}` })).status).toBe(401)
    }
  })

  it('a board locked on one node refuses participants\' writes on the others (4403)', async () => {
    const ws = await createWorkshop(n0.url)
    const alice = await joinWorkshop(n2.url, ws.code, 'Alice')
    const a = doc(n2, ws.code, alice.participantToken)
    const ap = control(n2, alice.participantToken)
    await a.synced()
    const fac = control(n0, ws.facilitatorToken)
    await fac.until(() => true, 'the facilitator\'s state')

    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    await ap.until((s) => s.locked, 'alice told the board is locked')
    purpose(a.doc, alice.participantId)!.insert(0, 'written while locked')
    await waitFor(() => a.closes.includes(CLOSE.FORBIDDEN), 'the write refused with 4403 on node 2')
  })

  it('a workshop deleted on one node closes its connections on the others (4404)', async () => {
    const ws = await createWorkshop(n0.url)
    const alice = await joinWorkshop(n1.url, ws.code, 'Alice')
    const a = doc(n1, ws.code, alice.participantToken)
    const f = doc(n2, ws.code, ws.facilitatorToken)
    await Promise.all([a.synced(), f.synced()])

    const res = await api(`${n0.url}/api/workshops/${ws.code}`, 'DELETE', undefined, { authorization: `Bearer ${ws.facilitatorToken}` })
    expect(res.status).toBe(204)
    await waitFor(() => a.closes.includes(CLOSE.DELETED), 'alice\'s board on node 1 closed with 4404')
    await waitFor(() => f.closes.includes(CLOSE.DELETED), 'the facilitator\'s board on node 2 closed with 4404')
    for (const node of [n1, n2]) expect((await api(`${node.url}/api/workshops/${ws.code}`, 'GET')).status).toBe(404)
  })
})
