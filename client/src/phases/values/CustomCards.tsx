// Values in one's own words: a card with one's own label, kept in the notebook like the others.
import { useId, useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import { LIMITS } from '../../../../shared/limits'
import type { Locale } from '../../../../shared/protocol'
import { codePoints } from '../../../../shared/text'
import { usePhaseT } from '../Frame'
import { addCustomCard, canAddCustom, removeCustomCard, type Card } from './cards'
import { clampText } from '../ytext'

export function CustomCards({ notebook, own, lang }: { notebook: Y.Doc; own: Card[]; lang: Locale }) {
  const t = usePhaseT(lang)
  const id = useId()
  const [label, setLabel] = useState('')
  const can = canAddCustom(notebook)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (addCustomCard(notebook, label)) setLabel('')
  }
  return (
    <div className="ph-card ph-custom">
      <form onSubmit={submit} className="ph-inline-form">
        <div className="ph-field ph-grow">
          <label htmlFor={id} className="ph-label">{t('values.ownWords')}</label>
          <input id={id} type="text" value={label} onChange={(e) => setLabel(clampText(e.target.value, LIMITS.customLabel))} disabled={!can} data-testid="custom-card-input" aria-describedby={`${id}-n`} />
          <span id={`${id}-n`} className="ph-count">{t('count', { count: codePoints(label.trim()), max: LIMITS.customLabel })}</span>
        </div>
        <button type="submit" className="ph-btn" disabled={!can || !label.trim()} data-testid="custom-card-add">{t('add')}</button>
      </form>
      {own.length > 0 && (
        <ul className="ph-list ph-own">
          {own.map((c) => (
            <li key={c.id} className="ph-row">
              <span className="ph-grow">{c.label}</span>
              <button type="button" className="ph-btn ph-btn-quiet" aria-label={t('values.removeOwn', { card: c.label })} onClick={() => removeCustomCard(notebook, c.id)}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
