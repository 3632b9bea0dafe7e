// Lock the board, bring everyone to my view, make random groups.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../shared/limits'
import type { Focus, WorkshopState } from '../../../shared/protocol'
import type { Run } from './useCommand'

type Props = { state: WorkshopState; run: Run; currentFocus(): Focus }

export function BoardControls({ state, run, currentFocus }: Props) {
  const { t } = useTranslation()
  const [size, setSize] = useState(4)
  const off = state.ended
  const groups = new Map<number, string[]>()
  for (const r of state.roster) if (r.group !== null) groups.set(r.group, [...(groups.get(r.group) ?? []), r.name])
  const sizes = Array.from({ length: LIMITS.groupMax - LIMITS.groupMin + 1 }, (_, i) => i + LIMITS.groupMin)
  return (
    <section className="panel" aria-labelledby="board-controls-title">
      <h2 id="board-controls-title" className="panel-title">
        {t('facilitator.boardControls')}
      </h2>
      <div className="row wrap">
        <button type="button" className={`btn ${state.locked ? 'btn-warn' : ''}`} aria-pressed={state.locked} disabled={off} onClick={() => run('board:lock', { locked: !state.locked })}>
          {state.locked ? t('facilitator.unlock') : t('facilitator.lock')}
        </button>
        <button
          type="button"
          className={`btn ${state.focus ? 'btn-warn' : ''}`}
          aria-pressed={!!state.focus}
          disabled={off}
          onClick={() => run('focus:set', state.focus ? null : currentFocus())}
        >
          {state.focus ? t('facilitator.release') : t('facilitator.focus')}
        </button>
      </div>
      <h3 className="panel-subtitle">{t('facilitator.groups')}</h3>
      <div className="row wrap">
        <label htmlFor="group-size">{t('facilitator.groupSize')}</label>
        <select id="group-size" className="input input-short" value={size} onChange={(e) => setSize(Number(e.target.value))}>
          {sizes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <button type="button" className="btn" disabled={off} onClick={() => run('groups:make', { size })}>
          {t('facilitator.makeGroups')}
        </button>
      </div>
      {groups.size > 0 && (
        <ul className="groups">
          {[...groups.entries()]
            .sort((a, b) => a[0] - b[0])
            .map(([n, names]) => (
              <li key={n}>
                <strong>{t('facilitator.groupN', { n })}</strong>: {names.join('、')}
              </li>
            ))}
        </ul>
      )}
    </section>
  )
}
