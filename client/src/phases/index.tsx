// The participant's side of each phase: one view per phase kind, all reading and writing the
// synced board and the private notebook. An unknown kind shows its prompt only.
import { useEffect, useRef, type ComponentType } from 'react'
import { useTranslation } from 'react-i18next'
import { phases as catalog } from '../../../shared/i18n/phases'
import { forgetNotebook, notebookStorageKey, persistNotebook } from '../notebook/persist'
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
  const { notebook, me } = props
  const attached = useRef<{ key: string; doc: unknown } | null>(null)
  useEffect(() => {
    const key = notebookStorageKey(me.code, me.participantId)
    // The page replaces a notebook document only after the server refused it for good (4403,
    // 4413): the copy on this device holds that refused state, and applying it again would be
    // refused again. The server's copy is the one to carry on from.
    if (attached.current?.key === key && attached.current.doc !== notebook) forgetNotebook(key)
    attached.current = { key, doc: notebook }
    return persistNotebook(notebook, key)
  }, [notebook, me.code, me.participantId])
  const View = VIEWS[props.phase.kind] ?? PromptOnly
  return (
    <div className="kasane-phase" lang={props.lang}>
      <View key={props.phase.id} {...props} />
    </div>
  )
}

export default PhaseView
