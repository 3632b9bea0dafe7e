// "Bring everyone to me": a participant's view follows the facilitator's focus while it is set.
import { useEffect, useState } from 'react'
import type { Focus } from '../../../shared/protocol'
import type { PanZoom } from './usePanZoom'
import { fromFocus } from './viewport'

export function useFocusFollow(focus: Focus | null, isFacilitator: boolean, pz: PanZoom): boolean {
  const [following, setFollowing] = useState(false)
  const key = focus ? `${focus.x},${focus.y},${focus.zoom}` : ''
  useEffect(() => {
    if (isFacilitator || !focus) {
      setFollowing(false)
      return
    }
    setFollowing(true)
    pz.set(fromFocus(focus, pz.size.current))
    // `pz` is a new object every render; the view moves only when the focus itself changes.
  }, [key, isFacilitator])
  return following
}
