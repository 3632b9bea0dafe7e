// Purpose: as many drafts as one likes in the private notebook, helped by the sentence frame, and
// one of them published to the board on a tap (within the board's 300 characters).
import { useState } from 'react'
import * as Y from 'yjs'
import { draftsOf, personText } from '../../../../shared/layout'
import { LIMITS } from '../../../../shared/limits'
import { codePoints } from '../../../../shared/text'
import { isPurposeDraft, newPurposeDraftKey } from '../../notebook/drafts'
import { boardReadOnly, PhaseFrame, usePhaseT, Visibility } from '../Frame'
import { useObserved, usePerson } from '../hooks'
import { publishText } from '../Publishable'
import { TextField } from '../TextField'
import type { PhaseContext } from '../types'
import { clampText, publishable } from '../ytext'
import { SentenceFrame } from './SentenceFrame'

const MAX_DRAFTS = 8
const BLANK = /＿＿|___/

export function PurposePanel({ ctx, withFrame = true }: { ctx: PhaseContext; withFrame?: boolean }) {
  const t = usePhaseT(ctx.lang)
  const drafts = draftsOf(ctx.notebook)
  useObserved(drafts)
  const person = usePerson(ctx.board, ctx.me.participantId)
  const target = person ? personText(person, 'purpose') : undefined
  useObserved(target)
  const shared = target?.toString() ?? ''
  const readOnly = boardReadOnly(ctx)
  const [confirm, setConfirm] = useState<string | null>(null)
  const keys = [...drafts.keys()].filter(isPurposeDraft).sort()
  const full = keys.length >= MAX_DRAFTS || drafts.size >= LIMITS.draftsMax
  const addDraft = (text = '') => {
    if (full) return
    const key = newPurposeDraftKey()
    drafts.set(key, new Y.Text(clampText(text, LIMITS.draft)))
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-draft="${key}"] textarea`)?.focus())
  }
  const publish = (text: string) => person && publishText(ctx.board, person, 'purpose', text, LIMITS.purpose)
  return (
    <div className="ph-purpose">
      {withFrame && <SentenceFrame lang={ctx.lang} disabled={full} onUse={addDraft} />}
      <div className="ph-card ph-purpose-shared" data-testid="purpose-shared">
        <div className="ph-row">
          <h3 className="ph-h ph-grow">{t('purpose.onBoard')}</h3>
          <Visibility shared={shared.length > 0} lang={ctx.lang} />
        </div>
        {shared ? (
          <>
            <blockquote className="ph-published" data-testid="purpose-published">{shared}</blockquote>
            <button type="button" className="ph-btn ph-btn-quiet" disabled={readOnly} onClick={() => publish('')} data-testid="purpose-unpublish">
              {t('unpublish')}
            </button>
          </>
        ) : (
          <p className="ph-hint">{t('purpose.nothingShared')}</p>
        )}
      </div>
      <ol className="ph-list" aria-label={t('purpose.drafts')}>
        {keys.map((key, i) => {
          const text = drafts.get(key)
          if (!(text instanceof Y.Text)) return null
          const value = publishable(text.toString(), LIMITS.draft)
          const isShared = value.length > 0 && value === shared
          const tooLong = codePoints(value) > LIMITS.purpose
          // A frame whose blanks are still empty is a start, not yet a purpose to share.
          const blanks = BLANK.test(value)
          return (
            <li key={key} className="ph-card" data-draft={key} data-testid="purpose-draft">
              <div className="ph-row">
                <span className="ph-grow ph-label">{t('purpose.draftN', { n: i + 1 })}</span>
                <Visibility shared={isShared} lang={ctx.lang} />
              </div>
              <TextField text={text} label={t('purpose.draftN', { n: i + 1 })} hideLabel max={LIMITS.draft} warnAt={LIMITS.purpose} multiline rows={3} lang={ctx.lang} testId="purpose-draft-text" />
              {blanks && <p className="ph-hint">{t('purpose.fillBlanks')}</p>}
              <div className="ph-actions">
                {!isShared && (
                  <button type="button" className="ph-btn" disabled={!target || readOnly || !value || tooLong || blanks || isShared} onClick={() => publish(value)} data-testid="purpose-publish">
                    {t('purpose.publishThis')}
                  </button>
                )}
                <span className="ph-grow" />
                {confirm === key ? (
                  <>
                    <button type="button" className="ph-btn ph-btn-danger" onClick={() => { drafts.delete(key); setConfirm(null) }}>{t('purpose.deleteConfirm')}</button>
                    <button type="button" className="ph-btn ph-btn-quiet" onClick={() => setConfirm(null)}>{t('cancel')}</button>
                  </>
                ) : (
                  <button type="button" className="ph-btn ph-btn-quiet" aria-label={t('purpose.delete', { n: i + 1 })} onClick={() => setConfirm(key)}>{t('remove')}</button>
                )}
              </div>
            </li>
          )
        })}
      </ol>
      <button type="button" className="ph-btn ph-btn-quiet ph-btn-wide" disabled={full} onClick={() => addDraft()} data-testid="purpose-add">
        + {t('purpose.addDraft')}
      </button>
    </div>
  )
}

export function PurposeView(ctx: PhaseContext) {
  return (
    <PhaseFrame ctx={ctx}>
      <PurposePanel ctx={ctx} />
    </PhaseFrame>
  )
}
