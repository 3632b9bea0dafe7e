// Check-in: one word or phrase for how one feels, shared with the room on a tap.
import { LIMITS } from '../../../../shared/limits'
import { DRAFT } from '../../notebook/drafts'
import { PhaseFrame, usePhaseT } from '../Frame'
import { PublishableText } from '../Publishable'
import type { PhaseContext } from '../types'

export function CheckinView(ctx: PhaseContext) {
  const t = usePhaseT(ctx.lang)
  return (
    <PhaseFrame ctx={ctx}>
      <PublishableText ctx={ctx} draftKey={DRAFT.checkin} boardKey="checkin" max={LIMITS.checkin} label={t('checkin.label')} testId="checkin" />
    </PhaseFrame>
  )
}
