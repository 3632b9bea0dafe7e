// Asks why a value or purpose connects to a vision item before the link is written.
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../shared/limits'
import { Dialog } from '../ui/Dialog'

type Props = { open: boolean; fromText: string; toText: string; initial: string; onSave(reason: string): void; onCancel(): void }

export function ReasonDialog({ open, fromText, toText, initial, onSave, onCancel }: Props) {
  const { t } = useTranslation()
  const [reason, setReason] = useState(initial)
  useEffect(() => {
    if (open) setReason(initial)
  }, [open, initial])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    onSave(reason.trim().slice(0, LIMITS.reason))
  }
  return (
    <Dialog open={open} title={t('board.reasonTitle')} onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <p className="link-summary">
          <span className="chip">{fromText}</span> → <span className="chip chip-vision">{toText}</span>
        </p>
        <div className="field">
          <label htmlFor="link-reason">{t('board.reason')}</label>
          <textarea id="link-reason" className="input" rows={3} maxLength={LIMITS.reason} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('facilitator.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('board.makeLink')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
