// The facilitator adds or edits a vision item.
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../shared/limits'
import { Dialog } from '../ui/Dialog'

type Props = {
  open: boolean
  initial: { title: string; body: string } | null
  onSave(title: string, body: string): void
  onDelete?(): void
  onCancel(): void
}

export function VisionDialog({ open, initial, onSave, onDelete, onCancel }: Props) {
  const { t } = useTranslation()
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  useEffect(() => {
    if (!open) return
    setTitle(initial?.title ?? '')
    setBody(initial?.body ?? '')
  }, [open, initial])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!title.trim()) return
    onSave(title.trim(), body.trim())
  }
  return (
    <Dialog open={open} title={initial ? t('facilitator.editVision') : t('facilitator.addVision')} onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="vision-title">{t('facilitator.visionTitle')}</label>
          <input id="vision-title" className="input" value={title} maxLength={LIMITS.title} onChange={(e) => setTitle(e.target.value)} required autoFocus />
        </div>
        <div className="field">
          <label htmlFor="vision-body">{t('facilitator.visionBody')}</label>
          <textarea id="vision-body" className="input" rows={4} value={body} maxLength={LIMITS.visionBody} onChange={(e) => setBody(e.target.value)} />
        </div>
        <div className="dialog-actions">
          {onDelete && (
            <button type="button" className="btn btn-danger" onClick={onDelete}>
              {t('facilitator.deleteVision')}
            </button>
          )}
          <button type="button" className="btn" onClick={onCancel}>
            {t('facilitator.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!title.trim()}>
            {t('facilitator.save')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
