// Presence over Yjs awareness (SPEC §5): who is on the board, their cursors with names, live drag
// positions; our own updates go out at most ten times a second. Idle after a minute of stillness.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import type { Viewport } from './viewport'

export type User = { participantId: string | null; name: string; color: string }
export type Drag = { key: string; x: number; y: number }
export type Peer = { clientId: number; user: User; cursor: { x: number; y: number } | null; drag: Drag | null; idle: boolean; self: boolean }

type Local = { cursor?: { x: number; y: number } | null; viewport?: Viewport; drag?: Drag | null }

const SEND_INTERVAL_MS = 100
const IDLE_MS = 60_000

const isUser = (u: unknown): u is User =>
  !!u && typeof u === 'object' && typeof (u as User).name === 'string' && typeof (u as User).color === 'string'

export function usePresence(provider: WebsocketProvider, self: User) {
  const awareness = provider.awareness
  const [peers, setPeers] = useState<Peer[]>([])
  const pending = useRef<Local>({})
  const timer = useRef(0)
  const lastSent = useRef(0)
  const activity = useRef(new Map<number, { sig: string; at: number }>())

  useEffect(() => {
    awareness.setLocalStateField('user', { participantId: self.participantId, name: self.name, color: self.color })
  }, [awareness, self.participantId, self.name, self.color])

  useEffect(() => {
    const refresh = () => {
      const now = Date.now()
      const out: Peer[] = []
      awareness.getStates().forEach((s, clientId) => {
        const user = (s as { user?: unknown }).user
        if (!isUser(user)) return
        const st = s as { cursor?: { x: number; y: number } | null; drag?: Drag | null; viewport?: Viewport }
        const sig = JSON.stringify([st.cursor ?? null, st.drag ?? null, st.viewport ?? null])
        const seen = activity.current.get(clientId)
        if (!seen || seen.sig !== sig) activity.current.set(clientId, { sig, at: now })
        const at = activity.current.get(clientId)!.at
        const cursor = st.cursor && Number.isFinite(st.cursor.x) && Number.isFinite(st.cursor.y) ? st.cursor : null
        const drag = st.drag && typeof st.drag.key === 'string' && Number.isFinite(st.drag.x) ? st.drag : null
        out.push({ clientId, user, cursor, drag, idle: now - at > IDLE_MS, self: clientId === awareness.clientID })
      })
      setPeers(out)
    }
    // Our own cursor moving must not re-render the board: only others' changes, or who we are.
    let selfSig = ''
    const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const ids = [...added, ...updated, ...removed]
      const sig = JSON.stringify((awareness.getLocalState() as { user?: unknown } | null)?.user ?? null)
      if (ids.every((id) => id === awareness.clientID) && sig === selfSig) return
      selfSig = sig
      refresh()
    }
    refresh()
    awareness.on('change', onChange)
    const id = window.setInterval(refresh, 15_000)
    return () => {
      awareness.off('change', onChange)
      window.clearInterval(id)
    }
  }, [awareness])

  const flush = useCallback(() => {
    timer.current = 0
    lastSent.current = Date.now()
    const p = pending.current
    pending.current = {}
    const state = { ...(awareness.getLocalState() ?? {}), ...p }
    awareness.setLocalState(state)
  }, [awareness])

  const publish = useCallback(
    (patch: Local) => {
      pending.current = { ...pending.current, ...patch }
      if (timer.current) return
      const wait = Math.max(0, SEND_INTERVAL_MS - (Date.now() - lastSent.current))
      timer.current = window.setTimeout(flush, wait)
    },
    [flush],
  )

  useEffect(() => () => window.clearTimeout(timer.current), [])

  return { peers, publish }
}
