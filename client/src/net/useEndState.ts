// When a connection is refused for good, ask `GET /api/me` why (SPEC §5): 401 means this token was
// removed (or never existed), 404 means the workshop is gone. Anything else: keep trying.
import { useEffect, useState } from 'react'
import { ApiError, getMe } from './api'

export type EndState = 'removed' | 'gone' | null

export function useEndState(token: string | null, suspicious: boolean, known: EndState): EndState {
  const [found, setFound] = useState<EndState>(null)
  useEffect(() => {
    if (!token || !suspicious || known) return
    let live = true
    getMe(token).catch((e) => {
      if (!live || !(e instanceof ApiError)) return
      if (e.status === 401) setFound('removed')
      else if (e.status === 404 || e.status === 410) setFound('gone')
    })
    return () => {
      live = false
    }
  }, [token, suspicious, known])
  return known ?? found
}
