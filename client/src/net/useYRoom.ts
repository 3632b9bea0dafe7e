// React binding of a YRoom: one per (room, token), destroyed when the page leaves it.
import { useEffect, useState, useSyncExternalStore } from 'react'
import type { RoomSnapshot } from './yroom'
import { YRoom } from './yroom'

export function useYRoom(room: string | null, token: string | null): RoomSnapshot | null {
  const [yroom, setYRoom] = useState<YRoom | null>(null)
  useEffect(() => {
    if (!room || !token) return
    const r = new YRoom(room, token)
    setYRoom(r)
    return () => {
      r.destroy()
      setYRoom(null)
    }
  }, [room, token])
  return useSyncExternalStore(yroom?.subscribe ?? noopSubscribe, yroom?.getSnapshot ?? nullSnapshot)
}

const noopSubscribe = () => () => {}
const nullSnapshot = () => null
