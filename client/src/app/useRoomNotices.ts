// A board connection that had to start over tells its user why, in the words of the moment.
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkshopState } from '../../../shared/protocol'
import type { RoomSnapshot } from '../net/yroom'
import { useToast } from '../ui/Toasts'

export function useRoomNotices(room: RoomSnapshot | null, state: WorkshopState | null): void {
  const { t } = useTranslation()
  const toast = useToast()
  const seen = useRef<number>(0)
  const notice = room?.notice
  useEffect(() => {
    if (!notice || notice.at === seen.current) return
    seen.current = notice.at
    if (notice.kind === 'forbidden') {
      toast(state?.ended ? t('errors.endedWrite') : state?.locked ? t('errors.locked') : t('errors.forbidden'), 'error')
    } else if (notice.kind === 'too-large') toast(t('errors.tooLarge'), 'error')
    else toast(t('errors.malformed'), 'error')
  }, [notice, state?.ended, state?.locked, t, toast])
}
