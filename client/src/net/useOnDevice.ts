// React binding of device.ts: keeps a room's document on this device while the page shows it.
import { useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { forgetOnDevice, persistOnDevice } from './device'
import type { RoomSnapshot } from './yroom'

/**
 * `all`: the whole document (the notebook), from the start. `own`: only the changes made here (the
 * board), from the document's first sync on, so that they are measured against what the server
 * holds. `ended` (the participant was removed, or the workshop is gone) detaches and forgets the
 * copy: nothing private stays behind on a shared device.
 *
 * A document replaced after the server refused it for good (4403, 4413) takes the device copy with
 * it: that copy holds the refused state, and applying it again would be refused again. The
 * server's copy is the one to carry on from.
 */
export function useOnDevice(live: RoomSnapshot | null, key: string, keep: 'all' | 'own', ended: boolean): void {
  const room = ended ? null : live
  const [synced, setSynced] = useState<Y.Doc | null>(null)
  if (room?.synced && synced !== room.doc) setSynced(room.doc)
  const doc = room && (keep === 'all' || synced === room.doc) ? room.doc : null
  const remote = keep === 'own' ? room?.provider : undefined
  const attached = useRef<{ key: string; doc: Y.Doc } | null>(null)
  useEffect(() => {
    if (!doc) return
    if (attached.current?.key === key && attached.current.doc !== doc) forgetOnDevice(key)
    attached.current = { key, doc }
    return persistOnDevice(doc, key, remote)
  }, [doc, key, remote])
  // After the effect above detached (its last save included).
  useEffect(() => {
    if (ended) forgetOnDevice(key)
  }, [ended, key])
}
