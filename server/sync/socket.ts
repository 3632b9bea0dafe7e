// Writing to a client's WebSocket.
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'

/** Closes with a code and reason, or drops the socket when a close frame cannot be sent. */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason.slice(0, 120))
  } catch {
    ws.terminate()
  }
}

/** A binary WebSocket frame as a server sends it (final, unmasked), built once for every receiver. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const n = payload.length
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(head + n)
  frame[0] = 0x82 // FIN, binary
  if (n < 126) frame[1] = n
  else if (n < 65536) {
    frame[1] = 126
    frame.writeUInt16BE(n, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2)
    frame.writeUInt32BE(n >>> 0, 6)
  }
  frame.set(payload, head)
  return frame
}

/**
 * Writes whole frames (binaryFrame) to an open connection's socket, several corked into one system
 * call. A relay frames each message once and writes the same bytes to every receiver: `ws.send`
 * frames it again per receiver, which cost more than the system call itself (bench/README.md,
 * change 14). This bypasses only ws's sender, which queues frames of its own solely while it
 * compresses (permessage-deflate, never negotiated here: server.ts) or reads a Blob (never sent);
 * otherwise it writes to the same socket in the same order, and nothing is written once ws has
 * started closing.
 */
export function writeFrames(ws: WebSocket, frames: Buffer[]): void {
  if (frames.length === 0 || ws.readyState !== ws.OPEN) return
  const socket = (ws as unknown as { _socket: Duplex })._socket
  if (frames.length === 1) {
    socket.write(frames[0])
    return
  }
  socket.cork()
  try {
    for (const f of frames) socket.write(f)
  } finally {
    socket.uncork()
  }
}
