// One card on the board as real SVG text. Pointer and key handling is delegated to the board
// through `data-key`, so cards re-render only when their own content or position changes.
import { memo } from 'react'
import type { Card } from './scene'
import { shade, textOn, tint } from './color'

type Props = {
  card: Card
  x: number
  y: number
  label: string
  focusable: boolean
  selected: boolean
  linkSource: boolean
  handle: boolean
  dragging: boolean
}

export const CardView = memo(function CardView({ card, x, y, label, focusable, selected, linkSource, handle, dragging }: Props) {
  const left = -card.w / 2
  const top = -card.h / 2
  const cls = `card card-${card.kind}${selected ? ' is-selected' : ''}${linkSource ? ' is-source' : ''}${dragging ? ' is-dragging' : ''}`
  return (
    <g className={cls} data-key={card.key} transform={`translate(${x} ${y})`}>
      {card.kind === 'vision' && <VisionShape card={card} left={left} top={top} />}
      {card.kind === 'purpose' && <PurposeShape card={card} left={left} top={top} />}
      {card.kind === 'value' && <ValueShape card={card} left={left} top={top} />}
      {/* The focus target carries the card's name; the drawn text stays plain SVG text beneath it. */}
      <rect
        className="card-focus"
        x={left - 4}
        y={top - 4}
        width={card.w + 8}
        height={card.h + 8}
        rx={14}
        tabIndex={focusable ? 0 : undefined}
        role={focusable ? 'button' : 'img'}
        aria-label={label}
        aria-pressed={focusable ? selected || linkSource : undefined}
      />
      {handle && (
        <g className="link-handle" data-handle="1" aria-hidden="true">
          <circle cx={card.w / 2} cy={0} r={14} className="link-handle-hit" />
          <circle cx={card.w / 2} cy={0} r={7} fill={card.color} stroke="#fff" strokeWidth={2} />
        </g>
      )}
    </g>
  )
})

function Lines({ lines, x, y, size, fill, weight, lineHeight }: { lines: string[]; x: number; y: number; size: number; fill: string; weight?: number; lineHeight: number }) {
  return (
    <text x={x} y={y} fontSize={size} fill={fill} fontWeight={weight} className="card-text">
      {lines.map((l, i) => (
        <tspan key={i} x={x} dy={i === 0 ? 0 : lineHeight}>
          {l}
        </tspan>
      ))}
    </text>
  )
}

function VisionShape({ card, left, top }: { card: Card; left: number; top: number }) {
  return (
    <>
      <rect x={left} y={top} width={card.w} height={card.h} rx={12} className="card-vision-bg" />
      <Lines lines={card.lines} x={left + 12} y={top + 26} size={16} fill="#ffffff" weight={700} lineHeight={21} />
    </>
  )
}

function PurposeShape({ card, left, top }: { card: Card; left: number; top: number }) {
  return (
    <>
      <rect x={left} y={top} width={card.w} height={card.h} rx={10} fill="#ffffff" stroke={card.color} strokeWidth={2} />
      <rect x={left} y={top} width={6} height={card.h} rx={3} fill={card.color} />
      <Lines lines={card.lines} x={left + 14} y={top + 22} size={14} fill="#1f2937" lineHeight={18} />
    </>
  )
}

function ValueShape({ card, left, top }: { card: Card; left: number; top: number }) {
  const fg = textOn(card.color)
  return (
    <>
      <rect x={left} y={top} width={card.w} height={card.h} rx={card.h / 2} fill={tint(card.color, 0.15)} stroke={shade(card.color, 0.2)} strokeWidth={1} />
      {card.rank && (
        <>
          <circle cx={left + 15} cy={0} r={9} fill="#ffffff" />
          <text x={left + 15} y={4} fontSize={11} textAnchor="middle" fill="#111827" fontWeight={700}>
            {card.rank}
          </text>
        </>
      )}
      <Lines lines={card.lines} x={left + (card.rank ? 30 : 12)} y={5} size={13} fill={fg} weight={600} lineHeight={16} />
    </>
  )
}
