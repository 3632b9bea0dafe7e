// writeFrames / binaryFrame: what a relay writes is what a stock ws client reads, payload for
// payload, at every frame length; a connection's frames leave in one write, in order, and the
// socket is not left corked; nothing is written once the connection has started closing.
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { binaryFrame, writeFrames } from '../../server/sync/socket.js'

type Spied = Duplex & { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void }

let wss: WebSocketServer
const received: Buffer[] = []
/** Chunks per write the server's socket makes. */
const writes: number[] = []

/** A fresh connection pair; the server side's socket writes are counted. */
async function connect(): Promise<{ server: WebSocket; client: WebSocket }> {
  const connected = new Promise<WebSocket>((r) => wss.once('connection', r))
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)
  client.on('message', (data: Buffer) => received.push(data))
  const server = await connected
  const socket = (server as unknown as { _socket: Spied })._socket
  const write = socket._write.bind(socket)
  const writev = socket._writev.bind(socket)
  socket._write = (...a) => (writes.push(1), write(...a))
  socket._writev = (chunks, cb) => (writes.push(chunks.length), writev(chunks, cb))
  return { server, client }
}

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, maxPayload: 1 << 20 })
  await new Promise((r) => wss.once('listening', r))
})

afterAll(async () => {
  for (const c of wss.clients) c.terminate()
  await new Promise((r) => wss.close(r))
})

async function delivered(n: number): Promise<void> {
  for (let i = 0; received.length < n && i < 500; i++) await new Promise((r) => setTimeout(r, 10))
}

const payload = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff)

it('frames every length a stock client reads back byte for byte (7-bit, 16-bit and 64-bit lengths)', async () => {
  const { server, client } = await connect()
  const lengths = [0, 1, 125, 126, 127, 65535, 65536, 300_000]
  received.length = 0
  for (const n of lengths) writeFrames(server, [binaryFrame(payload(n))])
  await delivered(lengths.length)
  expect(received.map((b) => b.length)).toEqual(lengths)
  lengths.forEach((n, i) => expect(Buffer.compare(received[i]!, Buffer.from(payload(n)))).toBe(0))
  client.close()
})

it('writes a connection\'s frames once, in order, and uncorks', async () => {
  const { server, client } = await connect()
  writes.length = received.length = 0
  writeFrames(server, ['1', '2', '3', '4'].map((t) => binaryFrame(new TextEncoder().encode(t))))
  await delivered(4)
  expect(writes).toEqual([4])
  expect(received.map(String)).toEqual(['1', '2', '3', '4'])
  expect((server as unknown as { _socket: Duplex })._socket.writableCorked).toBe(0)
  writes.length = 0
  writeFrames(server, [binaryFrame(new TextEncoder().encode('5'))])
  await delivered(5)
  expect(writes).toEqual([1])
  client.close()
})

it('writes nothing once the connection is closing', async () => {
  const { server, client } = await connect()
  received.length = 0
  const closed = new Promise<number>((r) => client.once('close', (code) => r(code)))
  server.close(4000, 'bye')
  const socket = (server as unknown as { _socket: Duplex })._socket
  const write = socket.write.bind(socket)
  let calls = 0
  socket.write = ((...a: Parameters<typeof write>) => (calls++, write(...a))) as typeof socket.write
  writeFrames(server, [binaryFrame(new TextEncoder().encode('late'))])
  expect(calls).toBe(0)
  expect(await closed).toBe(4000)
  expect(received).toEqual([])
})
