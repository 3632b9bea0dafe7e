// Previous / next / jump to any phase, the current prompt, and editing a phase.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkshopState } from '../../../shared/protocol'
import { PhaseEditor } from './PhaseEditor'
import type { Run } from './useCommand'

export function PhaseStepper({ state, run }: { state: WorkshopState; run: Run }) {
  const { t } = useTranslation()
  const [editing, setEditing] = useState<number | null>(null)
  const i = state.phaseIndex
  const phase = state.phases[i]
  const off = state.ended
  return (
    <section className="panel phases" aria-labelledby="phases-title">
      <div className="panel-head">
        <h2 id="phases-title" className="panel-title">
          {t('facilitator.phases')}
        </h2>
        <div className="row">
          <button type="button" className="btn btn-small" disabled={off || i <= 0} onClick={() => run('phase:goto', { index: i - 1 })}>
            ← {t('facilitator.prev')}
          </button>
          <button type="button" className="btn btn-small btn-primary" disabled={off || i >= state.phases.length - 1} onClick={() => run('phase:goto', { index: i + 1 })}>
            {t('facilitator.next')} →
          </button>
        </div>
      </div>
      <ol className="stepper">
        {state.phases.map((p, n) => (
          <li key={p.id} className={n === i ? 'is-current' : n < i ? 'is-past' : ''}>
            <button
              type="button"
              className="stepper-step"
              aria-current={n === i ? 'step' : undefined}
              disabled={off}
              onClick={() => n !== i && run('phase:goto', { index: n })}
            >
              <span className="stepper-n">
                <span className="visually-hidden">{t('facilitator.gotoPrefix')} </span>
                {n + 1}
                <span className="visually-hidden">: </span>
              </span>
              <span className="stepper-title">{p.title}</span>
              <span className="stepper-min" aria-hidden="true">
                {Math.round(p.durationSec / 60)}′
              </span>
            </button>
          </li>
        ))}
      </ol>
      {phase && (
        <div className="current-phase">
          <h3 className="current-phase-title">{phase.title}</h3>
          <p className="prompt">{phase.prompt}</p>
          <button type="button" className="btn btn-small" disabled={off} onClick={() => setEditing(i)}>
            {t('facilitator.edit')}
          </button>
        </div>
      )}
      <PhaseEditor
        phase={editing === null ? null : (state.phases[editing] ?? null)}
        onCancel={() => setEditing(null)}
        onSave={async (patch) => {
          if (editing === null) return
          const ack = await run('phase:update', { index: editing, ...patch })
          if (ack.ok) setEditing(null)
        }}
      />
    </section>
  )
}
