// Rename a phase, rewrite its prompt, change its duration (`phase:update`).
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../shared/limits'
import type { Phase } from '../../../shared/protocol'
import { Dialog } from '../ui/Dialog'

type Patch = { title?: string; prompt?: string; durationSec?: number }

export function PhaseEditor({ phase, onSave, onCancel }: { phase: Phase | null; onSave(p: Patch): void; onCancel(): void }) {
  const { t } = useTranslation()
  const [title, setTitle] = useState('')
  const [prompt, setPrompt] = useState('')
  const [minutes, setMinutes] = useState(5)
  useEffect(() => {
    if (!phase) return
    setTitle(phase.title)
    setPrompt(phase.prompt)
    setMinutes(Math.round(phase.durationSec / 60))
  }, [phase])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!phase) return
    const patch: Patch = {}
    if (title.trim() && title.trim() !== phase.title) patch.title = title.trim()
    if (prompt.trim() !== phase.prompt) patch.prompt = prompt.trim()
    const sec = Math.min(LIMITS.durationMaxSec, Math.max(LIMITS.durationMinSec, Math.round(minutes) * 60))
    if (sec !== phase.durationSec) patch.durationSec = sec
    onSave(patch)
  }
  return (
    <Dialog open={!!phase} title={phase ? t('facilitator.editTitle', { title: phase.title }) : ''} onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="phase-title">{t('facilitator.phaseTitle')}</label>
          <input id="phase-title" className="input" value={title} maxLength={LIMITS.title} onChange={(e) => setTitle(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="phase-prompt">{t('facilitator.phasePrompt')}</label>
          <textarea id="phase-prompt" className="input" rows={4} value={prompt} maxLength={LIMITS.prompt} onChange={(e) => setPrompt(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="phase-minutes">{t('facilitator.phaseMinutes')}</label>
          <input
            id="phase-minutes"
            className="input input-short"
            type="number"
            min={LIMITS.durationMinSec / 60}
            max={LIMITS.durationMaxSec / 60}
            value={minutes}
            onChange={(e) => setMinutes(Number(e.target.value))}
          />
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('facilitator.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('facilitator.save')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
