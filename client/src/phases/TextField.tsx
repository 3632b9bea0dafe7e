// A text box bound to a Y.Text: every keystroke is saved (locally first), clamped to its limit,
// with a live count of characters as the limits count them (code points).
import { useId, useLayoutEffect, useRef } from 'react'
import type * as Y from 'yjs'
import { codePoints } from '../../../shared/text'
import { useObserved } from './hooks'
import { clampText, setText } from './ytext'
import { usePhaseT } from './Frame'
import type { Locale } from '../../../shared/protocol'

type Props = {
  /** The text, or undefined until the first keystroke creates it with `ensure`. */
  text: Y.Text | undefined
  ensure?: () => Y.Text
  label: string
  max: number
  /** A softer limit to warn about (a draft may be longer than what the board accepts). */
  warnAt?: number
  multiline?: boolean
  rows?: number
  lang: Locale
  placeholder?: string
  hideLabel?: boolean
  testId?: string
}

export function TextField({ text, ensure, label, max, warnAt, multiline, rows = 3, lang, placeholder, hideLabel, testId }: Props) {
  useObserved(text)
  const t = usePhaseT(lang)
  const id = useId()
  const value = text?.toString() ?? ''
  // Multi-line boxes grow with what is written (up to most of the screen), so nothing hides.
  const area = useRef<HTMLTextAreaElement>(null)
  useLayoutEffect(() => {
    const el = area.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight + 2, Math.max(160, window.innerHeight * 0.6))}px`
  }, [value])
  const count = codePoints(value.trim())
  const limit = warnAt ?? max
  const over = count > limit
  const onChange = (v: string) => {
    // Created on first use, never on render: an empty text made before the notebook has synced
    // would compete with (and could replace) the one already stored under the same key.
    const target = text ?? ensure?.()
    if (target) setText(target, clampText(v, max))
  }
  const common = {
    id,
    value,
    placeholder,
    'aria-describedby': `${id}-count`,
    'aria-invalid': over || undefined,
    'data-testid': testId,
  }
  return (
    <div className="ph-field">
      <label htmlFor={id} className={hideLabel ? 'ph-sr' : 'ph-label'}>{label}</label>
      {multiline ? (
        <textarea {...common} ref={area} rows={rows} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => onChange(e.target.value)} enterKeyHint="done" />
      )}
      <span id={`${id}-count`} className={`ph-count ${over ? 'ph-count-over' : ''}`}>
        {t('count', { count, max: limit })}
        {over && warnAt !== undefined ? ` — ${t('tooLongToPublish', { max: warnAt })}` : ''}
      </span>
    </div>
  )
}
