// Add a vision item where the facilitator is looking; edit and place them on the board itself.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { visionOf, type Pos } from '../../../shared/layout'
import { LIMITS } from '../../../shared/limits'
import { VisionDialog } from '../board/VisionDialog'
import { addVision } from '../board/write'

export function VisionControls({ doc, center, count }: { doc: Y.Doc; center(): Pos; count: number }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" className="btn btn-small" disabled={count >= LIMITS.visionMax} onClick={() => setOpen(true)}>
        + {t('facilitator.addVision')}
      </button>
      <VisionDialog
        open={open}
        initial={null}
        onCancel={() => setOpen(false)}
        onSave={(title, body) => {
          if (visionOf(doc).size < LIMITS.visionMax) addVision(doc, title, body, center())
          setOpen(false)
        }}
      />
    </>
  )
}
