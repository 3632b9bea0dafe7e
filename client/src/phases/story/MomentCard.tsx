// One moment of the life story: when, what happened, and how it felt (−5…+5), with touch-sized
// buttons to move it up or down and to remove it.
import { useId, useState } from 'react'
import * as Y from 'yjs'
import { MOMENT } from '../../../../shared/layout'
import { LIMITS } from '../../../../shared/limits'
import type { Locale } from '../../../../shared/protocol'
import { usePhaseT } from '../Frame'
import { TextField } from '../TextField'
import { clampText } from '../ytext'
import { clampLevel } from './story'

type Props = {
  moment: Y.Map<unknown>
  index: number
  count: number
  lang: Locale
  onMove: (by: -1 | 1) => void
  onRemove: () => void
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0')

export function MomentCard({ moment, index, count, lang, onMove, onRemove }: Props) {
  const t = usePhaseT(lang)
  const id = useId()
  const [confirm, setConfirm] = useState(false)
  const when = String(moment.get(MOMENT.when) ?? '')
  const text = moment.get(MOMENT.text)
  const level = clampLevel(Number(moment.get(MOMENT.level)))
  const momentId = String(moment.get(MOMENT.id) ?? '')
  const setLevel = (n: number) => moment.set(MOMENT.level, clampLevel(n))
  const n = index + 1
  return (
    <li className="ph-card ph-moment" data-moment={momentId} data-testid="moment">
      <div className="ph-moment-head">
        <span className="ph-moment-n" aria-hidden="true">{n}</span>
        <div className="ph-field ph-grow">
          <label htmlFor={`${id}-when`} className="ph-label">{t('story.when')}</label>
          <input
            id={`${id}-when`}
            type="text"
            value={when}
            placeholder={t('story.whenPlaceholder')}
            onChange={(e) => moment.set(MOMENT.when, clampText(e.target.value, LIMITS.storyWhen))}
            data-testid="moment-when"
          />
        </div>
        <div className="ph-moment-tools">
          <button type="button" className="ph-btn ph-btn-quiet ph-btn-icon" data-move="up" aria-label={t('story.up', { n })} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" className="ph-btn ph-btn-quiet ph-btn-icon" data-move="down" aria-label={t('story.down', { n })} disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </button>
          <button type="button" className="ph-btn ph-btn-quiet ph-btn-icon" aria-label={t('story.remove', { n })} aria-expanded={confirm} onClick={() => setConfirm(!confirm)}>
            ✕
          </button>
        </div>
      </div>
      {confirm && (
        <div className="ph-actions ph-confirm" role="group" aria-label={t('story.remove', { n })}>
          <button type="button" className="ph-btn ph-btn-danger" onClick={onRemove}>{t('story.removeConfirm')}</button>
          <button type="button" className="ph-btn ph-btn-quiet" onClick={() => setConfirm(false)}>{t('cancel')}</button>
        </div>
      )}
      {text instanceof Y.Text && (
        <TextField text={text} label={t('story.what')} max={LIMITS.storyText} multiline rows={2} lang={lang} testId="moment-text" />
      )}
      <div className="ph-field">
        <label htmlFor={`${id}-level`} className="ph-label">
          {t('story.feeling')} <strong className={level >= 0 ? 'ph-pos' : 'ph-neg'}>{signed(level)}</strong>
        </label>
        <div className="ph-stepper">
          <button type="button" className="ph-btn ph-btn-icon" aria-label={t('story.lower', { n })} disabled={level <= LIMITS.levelMin} onClick={() => setLevel(level - 1)}>
            −
          </button>
          <input
            id={`${id}-level`}
            type="range"
            min={LIMITS.levelMin}
            max={LIMITS.levelMax}
            step={1}
            value={level}
            aria-valuetext={signed(level)}
            onChange={(e) => setLevel(Number(e.target.value))}
            data-testid="moment-level"
          />
          <button type="button" className="ph-btn ph-btn-icon" aria-label={t('story.raise', { n })} disabled={level >= LIMITS.levelMax} onClick={() => setLevel(level + 1)}>
            +
          </button>
        </div>
      </div>
    </li>
  )
}
