// Ending is irreversible, so it asks first.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkshopState } from '../../../shared/protocol'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import type { Run } from './useCommand'

export function EndWorkshop({ state, run }: { state: WorkshopState; run: Run }) {
  const { t } = useTranslation()
  const [asking, setAsking] = useState(false)
  if (state.ended) return <p className="badge badge-ended">{t('facilitator.endedBadge')}</p>
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={() => setAsking(true)}>
        {t('facilitator.end')}
      </button>
      <ConfirmDialog
        open={asking}
        title={t('facilitator.end')}
        message={t('facilitator.endConfirm')}
        confirmLabel={t('facilitator.endButton')}
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          await run('workshop:end', {})
          setAsking(false)
        }}
      />
    </>
  )
}
