// Closing the server does not hang on peers that stopped answering: a phone gone out of range
// never replies to a WebSocket close frame, and `ws` would wait 30 s for it on every connection.
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { boardRoom } from '../../shared/protocol'
import { createWorkshop, startServer, type TestServer } from '../support/server'

const socketOf = (ws: WebSocket) => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket

/** A connection that opens, then never reads again: the close frame sent to it stays unanswered. */
function silentPeer(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.on('error', reject)
    ws.on('open', () => {
      socketOf(ws).pause()
      resolve(ws)
    })
  })
}

describe('shutdown', () => {
  let server: TestServer | undefined
  const peers: WebSocket[] = []
  afterEach(async () => {
    for (const p of peers) p.terminate()
    await server?.destroy()
  })

  it('drops peers that leave the close frame unanswered instead of waiting 30 s for them', async () => {
    server = await startServer()
    const { code, facilitatorToken } = await createWorkshop(server.url, { locale: 'en' })
    peers.push(await silentPeer(`${server.wsUrl}/socket.io/?EIO=4&transport=websocket`))
    peers.push(await silentPeer(`${server.wsUrl}/yjs/${boardRoom(code)}?token=${facilitatorToken}`))
    const started = Date.now()
    const outcome = await Promise.race([
      server.stop().then(() => 'stopped'),
      new Promise((r) => setTimeout(() => r('still waiting after 15 s'), 15_000)),
    ])
    expect(outcome).toBe('stopped')
    console.log(`stopped in ${Date.now() - started} ms with two silent peers`)
    // The server dropped their connections, not left them half open: once they read again, they
    // find them closed.
    const closed = peers.map((p) => new Promise<void>((r) => (p.readyState === WebSocket.CLOSED ? r() : p.once('close', () => r()))))
    for (const p of peers) socketOf(p).resume()
    await Promise.all(closed)
  }, 30_000)
})
