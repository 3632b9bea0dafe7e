// Links from a value or purpose to a vision item, each with a wide invisible stroke to tap.
import { memo } from 'react'
import type { LinkLine } from './scene'

export type Point = { x: number; y: number }

type Props = { links: LinkLine[]; at(key: string): Point | null; selected: string | null; label(l: LinkLine): string }

export function curve(a: Point, b: Point): string {
  const mx = (a.x + b.x) / 2
  const my = (a.y + b.y) / 2
  const dx = b.x - a.x
  const dy = b.y - a.y
  // Bend a little to one side so links that share ends stay apart.
  const cx = mx - dy * 0.12
  const cy = my + dx * 0.12
  return `M${a.x.toFixed(1)} ${a.y.toFixed(1)} Q${cx.toFixed(1)} ${cy.toFixed(1)} ${b.x.toFixed(1)} ${b.y.toFixed(1)}`
}

export const LinkLayer = memo(function LinkLayer({ links, at, selected, label }: Props) {
  return (
    <g className="links">
      {links.map((l) => {
        const a = at(l.from)
        const b = at(l.to)
        if (!a || !b) return null
        const d = curve(a, b)
        return (
          <g key={l.key} className={`link${selected === l.key ? ' is-selected' : ''}`} data-link={l.key}>
            <title>{label(l)}</title>
            <path d={d} className="link-hit" />
            <path d={d} className="link-line" stroke={l.color} />
          </g>
        )
      })}
    </g>
  )
})
