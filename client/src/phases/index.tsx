// The participant's side of each phase: one view per phase kind, all reading and writing the
// synced board and the private notebook. An unknown kind shows its prompt only.
import type { ComponentType } from 'react'
import { useTranslation } from 'react-i18next'
import { phases as catalog } from '../../../shared/i18n/phases'
import { CheckinView } from './checkin/CheckinView'
import { CloseView } from './close/CloseView'
import { CommitView } from './commit/CommitView'
import { ConnectView } from './connect/ConnectView'
import { PhaseFrame } from './Frame'
import { PurposeView } from './purpose/PurposeView'
import { ShareView } from './share/ShareView'
import { StoryView } from './story/StoryView'
import type { PhaseContext } from './types'
import { ValuesView } from './values/ValuesView'
import './phases.css'

const VIEWS: Record<string, ComponentType<PhaseContext>> = {
  checkin: CheckinView,
  story: StoryView,
  values: ValuesView,
  purpose: PurposeView,
  connect: ConnectView,
  share: ShareView,
  commit: CommitView,
  close: CloseView,
}

function PromptOnly(ctx: PhaseContext) {
  return <PhaseFrame ctx={ctx} />
}

export function PhaseView(props: PhaseContext) {
  const { i18n } = useTranslation()
  // The catalog travels with the views, whichever i18next instance the page set up.
  for (const lng of ['ja', 'en'] as const) {
    if (!i18n.hasResourceBundle(lng, 'phases')) i18n.addResourceBundle(lng, 'phases', catalog[lng], true, false)
  }
  const View = VIEWS[props.phase.kind] ?? PromptOnly
  return (
    <div className="kasane-phase" lang={props.lang}>
      <View key={props.phase.id} {...props} />
    </div>
  )
}

export default PhaseView
