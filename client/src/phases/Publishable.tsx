// A private draft in the notebook and, only on a tap, its copy on one's board entry.
import type * as Y from 'yjs'
import { draftsOf, personText } from '../../../shared/layout'
import { draftText, peekDraft } from '../notebook/drafts'
import { useObserved, usePerson } from './hooks'
import { boardReadOnly, usePhaseT, Visibility } from './Frame'
import { TextField } from './TextField'
import { publishable, setText } from './ytext'
import type { PhaseContext } from './types'

type BoardKey = 'checkin' | 'commitment' | 'autonomy' | 'purpose'

export function publishText(board: Y.Doc, person: Y.Map<unknown>, key: BoardKey, value: string, max: number) {
  const target = personText(person, key)
  if (!target) return
  board.transact(() => setText(target, publishable(value, max)))
}

export function PublishableText(props: {
  ctx: PhaseContext
  draftKey: string
  boardKey: BoardKey
  max: number
  label: string
  multiline?: boolean
  testId: string
}) {
  const { ctx, draftKey, boardKey, max, label, multiline, testId } = props
  const t = usePhaseT(ctx.lang)
  const person = usePerson(ctx.board, ctx.me.participantId)
  useObserved(draftsOf(ctx.notebook))
  const draft = peekDraft(ctx.notebook, draftKey)
  const target = person ? personText(person, boardKey) : undefined
  useObserved(target)
  const shared = target?.toString() ?? ''
  const next = publishable(draft?.toString() ?? '', max)
  const readOnly = boardReadOnly(ctx)
  const canPublish = !!target && !readOnly && next.length > 0 && next !== shared
  const publish = () => person && publishText(ctx.board, person, boardKey, next, max)
  const unpublish = () => person && publishText(ctx.board, person, boardKey, '', max)
  return (
    <div className="ph-card" data-testid={testId}>
      <TextField text={draft} ensure={() => draftText(ctx.notebook, draftKey)} label={label} max={max} multiline={multiline} rows={multiline ? 4 : undefined} lang={ctx.lang} testId={`${testId}-input`} />
      <div className="ph-row">
        <Visibility shared={shared.length > 0} lang={ctx.lang} />
        {shared && next !== shared && <span className="ph-hint">{t('changesNotShared')}</span>}
      </div>
      {shared && (
        <blockquote className="ph-published" data-testid={`${testId}-published`}>
          {shared}
        </blockquote>
      )}
      <div className="ph-actions">
        {(!shared || next !== shared) && (
          <button type="button" className="ph-btn" disabled={!canPublish} onClick={publish} data-testid={`${testId}-publish`}>
            {shared ? t('shareChanges') : t('publish')}
          </button>
        )}
        {shared && (
          <button type="button" className="ph-btn ph-btn-quiet" disabled={readOnly} onClick={unpublish} data-testid={`${testId}-unpublish`}>
            {t('unpublish')}
          </button>
        )}
      </div>
      {!target && <p className="ph-hint">{t('boardLoading')}</p>}
    </div>
  )
}
