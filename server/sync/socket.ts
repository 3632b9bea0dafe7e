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

/**
 * Sends frames in one write: ws writes every frame at once, one system call each, and on a busy
 * node those calls are the largest share of its time. Corked, the frames leave together (one frame
 * leaves in one write anyway).
 */
export function sendAll(ws: WebSocket, frames: Uint8Array[]): void {
  if (frames.length <= 1) return frames.length ? ws.send(frames[0]!) : undefined
  const socket = (ws as unknown as { _socket?: Duplex })._socket
  socket?.cork()
  try {
    for (const f of frames) ws.send(f)
  } finally {
    socket?.uncork()
  }
}
