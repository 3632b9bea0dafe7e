// sendAll: a connection's frames leave in one write, in order, and the socket is not left corked.
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { sendAll } from '../../server/sync/socket.js'

type Spied = Duplex & { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void }

let wss: WebSocketServer
let server: WebSocket
let client: WebSocket
const received: string[] = []
/** Chunks per write the server's socket makes (a frame is two chunks: header and payload). */
const writes: number[] = []

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((r) => wss.once('listening', r))
  const connected = new Promise<WebSocket>((r) => wss.once('connection', r))
  client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)
  client.on('message', (data) => received.push(String(data)))
  server = await connected
  const socket = (server as unknown as { _socket: Spied })._socket
  const write = socket._write.bind(socket)
  const writev = socket._writev.bind(socket)
  socket._write = (...a) => (writes.push(1), write(...a))
  socket._writev = (chunks, cb) => (writes.push(chunks.length), writev(chunks, cb))
})

afterAll(async () => {
  client.close()
  await new Promise((r) => wss.close(r))
})

async function delivered(n: number): Promise<void> {
  for (let i = 0; received.length < n && i < 500; i++) await new Promise((r) => setTimeout(r, 10))
}

it('writes frames sent one by one separately (the measurement sees each write)', async () => {
  writes.length = received.length = 0
  for (const t of ['a', 'b', 'c']) server.send(new TextEncoder().encode(t))
  await delivered(3)
  expect(writes.length).toBeGreaterThan(1)
  expect(received).toEqual(['a', 'b', 'c'])
})

it('writes frames sent together once, in order, and uncorks', async () => {
  writes.length = received.length = 0
  sendAll(server, ['1', '2', '3', '4'].map((t) => new TextEncoder().encode(t)))
  await delivered(4)
  expect(writes).toEqual([8])
  expect(received).toEqual(['1', '2', '3', '4'])
  expect((server as unknown as { _socket: Duplex })._socket.writableCorked).toBe(0)
})
