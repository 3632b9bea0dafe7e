// The sentence frame of the purpose phase as a helper: fill in the two blanks and start a draft.
import { useId, useState } from 'react'
import type { Locale } from '../../../../shared/protocol'
import { LIMITS } from '../../../../shared/limits'
import { usePhaseT } from '../Frame'
import { clampText } from '../ytext'

export function composePurpose(lang: Locale, a: string, b: string): string {
  const blank = lang === 'ja' ? '＿＿' : '___'
  const x = a.trim() || blank
  const y = b.trim() || blank
  return lang === 'ja' ? `私は${x}のために存在し、${y}を実現したい` : `To ${x} so that ${y}`
}

export function SentenceFrame({ lang, disabled, onUse }: { lang: Locale; disabled: boolean; onUse: (text: string) => void }) {
  const t = usePhaseT(lang)
  const id = useId()
  const [a, setA] = useState('')
  const [b, setB] = useState('')
  const max = LIMITS.purpose
  return (
    <div className="ph-card ph-frame">
      <h3 className="ph-h">{t('purpose.frameTitle')}</h3>
      <p className="ph-frame-sentence" aria-hidden="true">
        {lang === 'ja' ? (
          <>私は<mark>{a.trim() || '＿＿'}</mark>のために存在し、<mark>{b.trim() || '＿＿'}</mark>を実現したい</>
        ) : (
          <>To <mark>{a.trim() || '___'}</mark> so that <mark>{b.trim() || '___'}</mark></>
        )}
      </p>
      <div className="ph-field">
        <label htmlFor={`${id}-a`} className="ph-label">{t('purpose.blankA')}</label>
        <input id={`${id}-a`} type="text" value={a} onChange={(e) => setA(clampText(e.target.value, max))} data-testid="frame-a" />
      </div>
      <div className="ph-field">
        <label htmlFor={`${id}-b`} className="ph-label">{t('purpose.blankB')}</label>
        <input id={`${id}-b`} type="text" value={b} onChange={(e) => setB(clampText(e.target.value, max))} data-testid="frame-b" />
      </div>
      <button
        type="button"
        className="ph-btn ph-btn-wide"
        disabled={disabled}
        onClick={() => {
          onUse(composePurpose(lang, a, b))
          setA('')
          setB('')
        }}
        data-testid="frame-use"
      >
        {t('purpose.useFrame')}
      </button>
    </div>
  )
}
