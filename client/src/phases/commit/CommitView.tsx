// Commitment: one concrete action for tomorrow, and what one will decide on one's own.
import { LIMITS } from '../../../../shared/limits'
import { DRAFT } from '../../notebook/drafts'
import { PhaseFrame, usePhaseT } from '../Frame'
import { PublishableText } from '../Publishable'
import type { PhaseContext } from '../types'

export function CommitView(ctx: PhaseContext) {
  const t = usePhaseT(ctx.lang)
  return (
    <PhaseFrame ctx={ctx}>
      <PublishableText ctx={ctx} draftKey={DRAFT.commitment} boardKey="commitment" max={LIMITS.commitment} label={t('commit.action')} multiline testId="commitment" />
      <PublishableText ctx={ctx} draftKey={DRAFT.autonomy} boardKey="autonomy" max={LIMITS.autonomy} label={t('commit.autonomy')} multiline testId="autonomy" />
    </PhaseFrame>
  )
}
