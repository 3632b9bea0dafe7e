// Life story: moments that shaped the participant and how they felt, drawn live as a motivation
// chart. All of it stays in the private notebook.
import { useEffect, useState } from 'react'
import { readNotebook, storyOf } from '../../../../shared/layout'
import { LIMITS } from '../../../../shared/limits'
import { PhaseFrame, usePhaseT, Visibility } from '../Frame'
import { useObserved } from '../hooks'
import type { PhaseContext } from '../types'
import { MomentCard } from './MomentCard'
import { MotivationChart } from './MotivationChart'
import { addMoment, moveMoment, removeMoment } from './story'

export function StoryView(ctx: PhaseContext) {
  const t = usePhaseT(ctx.lang)
  const story = storyOf(ctx.notebook)
  useObserved(story)
  const moments = story.toArray()
  const views = readNotebook(ctx.notebook).story
  // After adding or moving, keep the keyboard where the person is working.
  const [focus, setFocus] = useState<{ id: string; sel: string } | null>(null)
  useEffect(() => {
    if (!focus) return
    const el = document.querySelector<HTMLElement>(`[data-moment="${CSS.escape(focus.id)}"] ${focus.sel}`)
    if (el && !(el as HTMLButtonElement).disabled) el.focus()
    else document.querySelector<HTMLElement>(`[data-moment="${CSS.escape(focus.id)}"] input`)?.focus()
    setFocus(null)
  }, [focus])
  const full = moments.length >= LIMITS.storyMax
  const add = () => {
    const id = addMoment(ctx.notebook)
    if (id) setFocus({ id, sel: 'input[type=text]' })
  }
  return (
    <PhaseFrame ctx={ctx}>
      <div className="ph-row">
        <Visibility shared={false} lang={ctx.lang} />
        <span className="ph-hint">{t('story.private')}</span>
      </div>
      <div className="ph-story">
        <div className="ph-story-chart">
          <MotivationChart moments={views} lang={ctx.lang} />
        </div>
        <div className="ph-story-list">
          <ol className="ph-list" aria-label={t('story.listLabel')}>
            {moments.map((m, i) => {
              const id = String(m.get('id') ?? i)
              return (
                <MomentCard
                  key={id}
                  moment={m}
                  index={i}
                  count={moments.length}
                  lang={ctx.lang}
                  onMove={(by) => {
                    moveMoment(ctx.notebook, i, by)
                    setFocus({ id, sel: `[data-move="${by < 0 ? 'up' : 'down'}"]` })
                  }}
                  onRemove={() => {
                    // Focus goes to a neighbour, not to the top of the page.
                    const near = moments[i + 1] ?? moments[i - 1]
                    removeMoment(ctx.notebook, i)
                    if (near) setFocus({ id: String(near.get('id') ?? ''), sel: 'input[type=text]' })
                    else document.querySelector<HTMLElement>('[data-testid="add-moment"]')?.focus()
                  }}
                />
              )
            })}
          </ol>
          <button type="button" className="ph-btn ph-btn-wide" onClick={add} disabled={full} data-testid="add-moment">
            + {t('story.add')}
          </button>
          <p className="ph-hint">
            {full ? t('story.full', { max: LIMITS.storyMax }) : t('story.countHint', { count: moments.length, max: LIMITS.storyMax })}
          </p>
        </div>
      </div>
    </PhaseFrame>
  )
}
