// A socket.io control-plane client as SPEC §4 describes it.
import { io, type Socket } from 'socket.io-client'
import type { Ack, ClientToServerEvents, ServerToClientEvents, WorkshopState } from '../../shared/protocol.js'
import { waitFor } from './server.js'

export type ControlClient = {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>
  states: WorkshopState[]
  last(): WorkshopState | undefined
  send(event: string, payload: unknown): Promise<Ack>
  until(pred: (s: WorkshopState) => boolean, what: string, timeoutMs?: number): Promise<WorkshopState>
  close(): void
}

export function connectControl(url: string, token: string, headers: Record<string, string> = {}): ControlClient {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token },
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  })
  const states: WorkshopState[] = []
  socket.on('state', (s) => states.push(s))
  return {
    socket,
    states,
    last: () => states[states.length - 1],
    send: (event, payload) =>
      new Promise<Ack>((resolve) => (socket.emit as (e: string, p: unknown, cb: (a: Ack) => void) => void)(event, payload, resolve)),
    until: (pred, what, timeoutMs) => waitFor(() => states.find((s, i) => i === states.length - 1 && pred(s)), what, timeoutMs),
    close: () => void socket.close(),
  }
}

/** The connect_error message of a refused handshake. */
export function handshakeError(url: string, token: unknown, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, extraHeaders: headers, reconnection: false, forceNew: true })
    socket.on('connect', () => {
      resolve('connected')
      socket.close()
    })
    socket.on('connect_error', (err) => {
      resolve(err.message)
      socket.close()
    })
  })
}
