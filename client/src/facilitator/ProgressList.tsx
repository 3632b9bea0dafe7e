// Everyone at a glance: online, ready, what this phase asks done or not, group; remove someone.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PersonView } from '../../../shared/layout'
import type { RosterEntry, WorkshopState } from '../../../shared/protocol'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { progressFor } from './progress'
import type { Run } from './useCommand'

type Props = { state: WorkshopState; people: PersonView[]; run: Run }

export function ProgressList({ state, people, run }: Props) {
  const { t } = useTranslation()
  const [removing, setRemoving] = useState<RosterEntry | null>(null)
  const kind = state.phases[state.phaseIndex]?.kind ?? ''
  const byId = new Map(people.map((p) => [p.participantId, p]))
  const ready = state.roster.filter((r) => r.ready).length
  return (
    <section className="panel" aria-labelledby="progress-title">
      <div className="panel-head">
        <h2 id="progress-title" className="panel-title">
          {t('facilitator.progress')}
        </h2>
        <span className="muted">
          {t('facilitator.readyCol')} {ready}/{state.roster.length}
        </span>
      </div>
      {state.roster.length === 0 ? (
        <p className="empty">{t('facilitator.noParticipants')}</p>
      ) : (
        <ul className="progress-list">
          {state.roster.map((r) => {
            const p = progressFor(kind, byId.get(r.participantId))
            return (
              <li key={r.participantId} className={`progress-row${r.online ? '' : ' is-offline'}`}>
                <span className="dot" style={{ background: r.color }} aria-hidden="true" />
                <div className="progress-main">
                  <span className="progress-name">{r.name}</span>
                  <span className={`tag ${r.online ? 'tag-on' : 'tag-off'}`}>{r.online ? t('facilitator.online') : t('facilitator.offline')}</span>
                  {r.ready && <span className="tag tag-ready">✓ {t('facilitator.readyCol')}</span>}
                  {p && <span className={`tag ${p.done ? 'tag-done' : ''}`}>{t(p.key, { count: p.count ?? 0 })}</span>}
                  {r.group !== null && <span className="tag">{t('facilitator.groupN', { n: r.group })}</span>}
                </div>
                <button type="button" className="btn-icon btn-remove" aria-label={t('facilitator.remove', { name: r.name })} disabled={state.ended} onClick={() => setRemoving(r)}>
                  ×
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <ConfirmDialog
        open={!!removing}
        title={removing ? t('facilitator.remove', { name: removing.name }) : ''}
        message={removing ? t('facilitator.removeConfirm', { name: removing.name }) : ''}
        confirmLabel={t('facilitator.removeButton')}
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          if (removing) await run('participant:remove', { participantId: removing.participantId })
          setRemoving(null)
        }}
      />
    </section>
  )
}
