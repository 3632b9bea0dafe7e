// The motivation chart: how one felt at each moment, in the order of one's story, around a zero line.
import { useId } from 'react'
import type { MomentView } from '../../../../shared/layout'
import { usePhaseT } from '../Frame'
import type { Locale } from '../../../../shared/protocol'

const W = 360
const H = 250
const PAD = { left: 30, right: 14, top: 24, bottom: 70 }
const PLOT_H = H - PAD.top - PAD.bottom

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0')
const yOf = (level: number) => PAD.top + ((5 - level) / 10) * PLOT_H

function short(s: string, max = 6): string {
  const chars = Array.from(s.trim())
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('')
}

export function MotivationChart({ moments, lang }: { moments: MomentView[]; lang: Locale }) {
  const t = usePhaseT(lang)
  const id = useId()
  const n = moments.length
  const step = n > 0 ? (W - PAD.left - PAD.right) / n : 0
  const xOf = (i: number) => PAD.left + (i + 0.5) * step
  const points = moments.map((m, i) => ({ ...m, x: xOf(i), y: yOf(m.level) }))
  // Past a dozen moments the labels would overlap on a phone: label every k-th one (the list below
  // and the chart's description name them all).
  const every = Math.max(1, Math.ceil(n / 12))
  const summary = moments.map((m, i) => `${m.when.trim() || t('story.momentN', { n: i + 1 })}: ${signed(m.level)}`).join(', ')
  return (
    <figure className="ph-chart" data-testid="motivation-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-t`}>{t('story.chartTitle')}</title>
        <desc id={`${id}-d`}>{n ? summary : t('story.chartEmpty')}</desc>
        <rect x={PAD.left} y={PAD.top} width={W - PAD.left - PAD.right} height={PLOT_H / 2} className="ph-chart-up" />
        <rect x={PAD.left} y={yOf(0)} width={W - PAD.left - PAD.right} height={PLOT_H / 2} className="ph-chart-down" />
        {[5, 0, -5].map((l) => (
          <text key={l} x={PAD.left - 6} y={yOf(l) + 4} textAnchor="end" className="ph-chart-axis">
            {signed(l)}
          </text>
        ))}
        <line x1={PAD.left} x2={W - PAD.right} y1={yOf(0)} y2={yOf(0)} className="ph-chart-zero" />
        {n > 1 && <polyline points={points.map((p) => `${p.x},${p.y}`).join(' ')} className="ph-chart-line" />}
        {points.map((p, i) => (
          <g key={p.id || i} className="ph-chart-point" data-level={p.level}>
            <circle cx={p.x} cy={p.y} r={n > 15 ? 4 : 5.5} className={p.level >= 0 ? 'ph-chart-pos' : 'ph-chart-neg'} />
            {every === 1 && (
              <text x={p.x} y={p.y + (p.level >= 0 ? -9 : 17)} textAnchor="middle" className="ph-chart-level">
                {signed(p.level)}
              </text>
            )}
            {i % every === 0 && (
              <text
                x={p.x}
                y={H - PAD.bottom + 14}
                textAnchor="end"
                transform={`rotate(-55 ${p.x} ${H - PAD.bottom + 14})`}
                className="ph-chart-label"
              >
                {short(p.when) || `#${i + 1}`}
              </text>
            )}
          </g>
        ))}
        {n === 0 && (
          <text x={W / 2} y={yOf(0) - 10} textAnchor="middle" className="ph-chart-axis">
            {t('story.chartEmpty')}
          </text>
        )}
      </svg>
    </figure>
  )
}
