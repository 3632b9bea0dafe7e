// Connections per client address are limited on both real-time channels (issue: "Limits with clear
// errors … connections per client address"), high enough that a whole office behind one address
// gets in (limits.test.ts: 300), low enough that one address cannot hold the node's sockets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createWorkshop, waitFor, type TestServer } from '../support/server.js'
import { rawSocketIo, rawYjs, type RawSocketIo, type RawYjs } from '../support/raw.js'
import { Tracker, bootServer, newScene, stillServes } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

/** Opens `n` connections in batches of 100; resolves with each one's upgrade status. */
async function inBatches<T>(n: number, open: () => T, settled: (c: T) => Promise<unknown>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, open)
    await Promise.all(batch.map(settled))
    out.push(...batch)
  }
  return out
}

describe('connections per address', () => {
  it('Yjs: the connection past the limit (1,000) is refused with 429, and others are served', async () => {
    const ws = await createWorkshop(server.url, { title: 'Many sockets' })
    const conns = await inBatches<RawYjs>(1000, () => t.add(rawYjs(server.wsUrl, ws.code, ws.facilitatorToken, { handshake: false })), (c) => c.opened)
    const statuses = await Promise.all(conns.map((c) => c.opened))
    expect(statuses.filter((s) => s !== 101)).toEqual([])
    const extra = t.add(rawYjs(server.wsUrl, ws.code, ws.facilitatorToken, { handshake: false }))
    expect(await extra.opened).toBe(429)
    // Closing some makes room again.
    for (const c of conns.slice(0, 10)) c.ws.close()
    await waitFor(async () => (await t.add(rawYjs(server.wsUrl, ws.code, ws.facilitatorToken, { handshake: false })).opened) === 101, 'room for a new connection')
    for (const c of conns) c.terminate()
    await stillServes(await newScene(server, t))
  })

  // SERVER GAP (server/control/io.ts, ControlPlane): the socket.io endpoint counts no connections
  // per client address, so one address can open socket.io connections without bound (each holds
  // a socket, an engine.io session and a state copy). Known failing until it has a cap like the
  // Yjs endpoint's. The fix: count per address in `authenticate` (the same address function as
  // SyncServer, proxy-addr with `trust proxy`), refuse with next(new Error('RATE_LIMITED')) past
  // the limit (1,000, matching the Yjs endpoint), and decrement on 'disconnect'.
  it('socket.io: connections past the limit are refused', { timeout: 120_000 }, async () => {
    const ws = await createWorkshop(server.url, { title: 'Many control sockets' })
    const answer = (c: RawSocketIo) => c.next((p) => p.startsWith('40') || p.startsWith('44'), 'connect answer', 30_000).catch(() => 'none')
    const conns = await inBatches<RawSocketIo>(
      1100,
      () => {
        const c = t.add(rawSocketIo(server.url))
        c.connect({ token: ws.facilitatorToken })
        return c
      },
      answer,
    )
    const answers = await Promise.all(conns.map(answer))
    const refused = answers.filter((a) => !a.startsWith('40')).length
    console.info(`socket.io: ${answers.length - refused} of ${answers.length} connections from one address accepted`)
    for (const c of conns) c.terminate()
    await stillServes(await newScene(server, t))
    expect(refused, 'connections refused past the per-address limit').toBeGreaterThan(0)
  })
})
