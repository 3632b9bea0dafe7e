// Connection status, said in words (not colour alone) and announced when it changes.
import { useTranslation } from 'react-i18next'
import type { ConnStatus } from '../phases/types'

export function ConnectionBadge({ status, label }: { status: ConnStatus; label?: string }) {
  const { t } = useTranslation()
  return (
    <span className={`conn conn-${status}`} role="status">
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-text">
        {label ? `${label}: ` : ''}
        {t(`conn.${status}`)}
      </span>
    </span>
  )
}
