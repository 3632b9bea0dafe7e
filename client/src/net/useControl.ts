// The control plane (SPEC §4): one socket.io connection per page, the whole WorkshopState on every
// change, commands with acknowledgements, and the server clock offset for countdowns.
import { useCallback, useEffect, useRef, useState } from 'react'
import { io, type Socket } from 'socket.io-client'
import {
  STATE_EVENT,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  type ServerToClientEvents,
  type WorkshopState,
} from '../../../shared/protocol'
import type { ConnStatus } from '../phases/types'

type KasaneSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** Why the control plane stopped for good: the token is refused, or the server sent us away. */
export type ControlStop = 'unauthorized' | 'forbidden' | 'disconnected' | null

export type Control = {
  state: WorkshopState | null
  status: ConnStatus
  stopped: ControlStop
  /** Server time now, in epoch ms. */
  serverNow(): number
  send<C extends CommandName>(command: C, payload: CommandPayload<C>): Promise<Ack>
}

const ACK_TIMEOUT_MS = 10_000

export function useControl(token: string | null): Control {
  const [state, setState] = useState<WorkshopState | null>(null)
  const [status, setStatus] = useState<ConnStatus>('connecting')
  const [stopped, setStopped] = useState<ControlStop>(null)
  const socketRef = useRef<KasaneSocket | null>(null)
  const offsetRef = useRef(0)

  useEffect(() => {
    if (!token) return
    setStopped(null)
    setStatus('connecting')
    const socket: KasaneSocket = io({ path: '/socket.io', transports: ['websocket'], auth: { token }, forceNew: true })
    let retry = 0
    socketRef.current = socket
    socket.on(STATE_EVENT, (s) => {
      offsetRef.current = s.serverTime - Date.now()
      setState(s)
    })
    socket.on('connect', () => {
      setStatus('online')
      setStopped(null)
    })
    socket.on('disconnect', (reason) => {
      setStatus('offline')
      // The server closed us on purpose, and socket.io will not retry by itself. The page asks
      // why (removed? deleted?); meanwhile try once more, which a revoked token cannot pass.
      if (reason === 'io server disconnect') {
        setStopped('disconnected')
        retry = window.setTimeout(() => socket.connect(), 3000)
      }
    })
    socket.on('connect_error', (err) => {
      setStatus('offline')
      if (err.message === 'UNAUTHORIZED') setStopped('unauthorized')
      else if (err.message === 'FORBIDDEN') setStopped('forbidden')
    })
    socket.io.on('reconnect_attempt', () => setStatus('connecting'))
    return () => {
      window.clearTimeout(retry)
      socket.removeAllListeners()
      socket.io.removeAllListeners()
      socket.disconnect()
      socketRef.current = null
    }
  }, [token])

  const serverNow = useCallback(() => Date.now() + offsetRef.current, [])

  const send = useCallback(<C extends CommandName>(command: C, payload: CommandPayload<C>): Promise<Ack> => {
    const socket = socketRef.current
    if (!socket) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'not connected' } })
    return new Promise<Ack>((resolve) => {
      const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emit(event: string, payload: unknown, cb: (err: Error | null, ack: Ack) => void): void
      }
      timed.emit(command, payload, (err, ack) => {
        if (err) resolve({ ok: false, error: { code: 'INTERNAL', message: 'no answer from the server' } })
        else resolve(ack)
      })
    })
  }, [])

  return { state, status, stopped, serverNow, send }
}
