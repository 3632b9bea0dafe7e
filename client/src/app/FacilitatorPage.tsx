// `/f/:code#token=…`: takes the token from the fragment (never a path or query), keeps it per room,
// connects, and hands over to the console.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { normalizeCode } from '../../../shared/limits'
import { boardRoom } from '../../../shared/protocol'
import { FacilitatorConsole } from '../facilitator/FacilitatorConsole'
import { applyWorkshopLocale } from '../i18n'
import { boardEditsStorageKey } from '../net/device'
import { loadFacilitator, takeFragmentToken } from '../net/tokens'
import { useControl } from '../net/useControl'
import { useEndState } from '../net/useEndState'
import { useOnDevice } from '../net/useOnDevice'
import { useYRoom } from '../net/useYRoom'
import { Gone } from './Gone'
import { useRoomNotices } from './useRoomNotices'

export function FacilitatorPage({ code }: { code: string }) {
  const normal = normalizeCode(code) ?? code
  const [token] = useState(() => takeFragmentToken(normal) ?? loadFacilitator(normal))
  const { i18n } = useTranslation()
  const control = useControl(token)
  const board = useYRoom(token ? boardRoom(normal) : null, token)
  const end = useEndState(token, control.stopped !== null, board?.ended ?? null)
  useRoomNotices(board, control.state)
  // The board edits made here stay on this device until the server has them (device.ts).
  useOnDevice(board, boardEditsStorageKey(normal, 'facilitator'), 'own', end !== null)
  const locale = control.state?.locale
  useEffect(() => {
    if (locale) applyWorkshopLocale(i18n, locale)
  }, [locale, i18n])

  if (!token) return <Gone kind="noToken" code={normal} />
  if (end === 'gone') return <Gone kind="gone" code={normal} />
  if (end === 'removed') return <Gone kind="facilitatorUnknown" code={normal} />
  return <FacilitatorConsole code={normal} token={token} control={control} board={board} />
}
