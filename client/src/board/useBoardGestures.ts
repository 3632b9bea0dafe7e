// What a pointer does on the board: drag your own card (position written once, at the end; live
// position in awareness), drag a card's dot onto a vision item to link, tap to select, or pan.
import { useRef, useState, type RefObject } from 'react'
import type { Card, Scene } from './scene'
import type { PanZoom } from './usePanZoom'
import type { Drag } from './usePresence'
import { screenToBoard } from './viewport'

type Point = { x: number; y: number }

type Opts = {
  scene: Scene
  pz: PanZoom
  svgRef: RefObject<HTMLElement | null>
  canMove(card: Card): boolean
  canLinkFrom(card: Card): boolean
  onTapCard(card: Card): void
  onTapLink(key: string): void
  onTapEmpty(): void
  onMoved(card: Card, pos: Point): void
  onLinkDrop(source: Card, vision: Card): void
  publish(patch: { cursor?: Point | null; drag?: Drag | null }): void
}

type Gesture =
  | { kind: 'card'; card: Card; start: Point; origin: Point; moved: boolean; pan: boolean }
  | { kind: 'handle'; card: Card }
  | { kind: 'background'; start: Point; moved: boolean; link: string | null }

const SLOP = 6

export function useBoardGestures(o: Opts) {
  const gesture = useRef<Gesture | null>(null)
  const [drag, setDrag] = useState<Drag | null>(null)
  const [band, setBand] = useState<{ from: Point; to: Point } | null>(null)
  const opts = useRef(o)
  opts.current = o

  const local = (e: React.PointerEvent): Point => {
    const r = o.svgRef.current!.getBoundingClientRect()
    return { x: e.clientX - r.left, y: e.clientY - r.top }
  }
  const toBoard = (p: Point) => screenToBoard(o.pz.view.current, o.pz.size.current, p.x, p.y)

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return
    const { scene, pz, canMove, canLinkFrom } = opts.current
    const target = e.target as Element
    const cardEl = target.closest('[data-key]')
    const card = cardEl ? scene.byKey.get(cardEl.getAttribute('data-key')!) : undefined
    const p = local(e)
    // Once the person works on the board, it stops refitting itself under their hands.
    pz.touched.current = true
    o.svgRef.current?.setPointerCapture(e.pointerId)
    // Every finger is known to the view, so that a second one turns any gesture into a pinch.
    pz.onPointerDown(e)
    const g = gesture.current
    if (g) {
      if (g.kind !== 'background' || !g.moved) abandon(g)
      gesture.current = { kind: 'background', start: p, moved: true, link: null }
      return
    }
    if (card && target.closest('[data-handle]') && canLinkFrom(card)) {
      gesture.current = { kind: 'handle', card }
      setBand({ from: { x: card.x, y: card.y }, to: toBoard(p) })
      return
    }
    if (card) {
      gesture.current = { kind: 'card', card, start: p, origin: { x: card.x, y: card.y }, moved: false, pan: !canMove(card) }
      return
    }
    const link = target.closest('[data-link]')?.getAttribute('data-link') ?? null
    gesture.current = { kind: 'background', start: p, moved: false, link }
  }

  /** A drag or link in the making gives way to a pinch. */
  const abandon = (g: Gesture) => {
    if (g.kind === 'handle') setBand(null)
    if (g.kind === 'card' && !g.pan && g.moved) {
      setDrag(null)
      opts.current.publish({ drag: null })
    }
  }

  const onPointerMove = (e: React.PointerEvent) => {
    const p = local(e)
    const b = toBoard(p)
    if (e.pointerType === 'mouse') opts.current.publish({ cursor: { x: Math.round(b.x), y: Math.round(b.y) } })
    const g = gesture.current
    if (!g) return
    if (g.kind === 'handle') {
      setBand({ from: { x: g.card.x, y: g.card.y }, to: b })
      return
    }
    const far = Math.hypot(p.x - g.start.x, p.y - g.start.y) > SLOP
    if (far) g.moved = true
    if (g.kind === 'card' && !g.pan) {
      if (!g.moved) return
      const zoom = opts.current.pz.view.current.zoom
      const d = { key: g.card.key, x: g.origin.x + (p.x - g.start.x) / zoom, y: g.origin.y + (p.y - g.start.y) / zoom }
      setDrag(d)
      opts.current.publish({ drag: d })
      return
    }
    opts.current.pz.onPointerMove(e)
  }

  const onPointerUp = (e: React.PointerEvent) => {
    const g = gesture.current
    const o2 = opts.current
    o2.pz.onPointerUp(e)
    if (!g) return
    gesture.current = null
    if (g.kind === 'handle') {
      setBand(null)
      const el = document.elementFromPoint(e.clientX, e.clientY)?.closest('[data-key]')
      const target = el ? o2.scene.byKey.get(el.getAttribute('data-key')!) : undefined
      if (target?.kind === 'vision') o2.onLinkDrop(g.card, target)
      else o2.onTapCard(g.card)
      return
    }
    if (g.kind === 'card') {
      if (g.moved && !g.pan) {
        const zoom = o2.pz.view.current.zoom
        const p = local(e)
        o2.onMoved(g.card, { x: g.origin.x + (p.x - g.start.x) / zoom, y: g.origin.y + (p.y - g.start.y) / zoom })
        o2.publish({ drag: null })
        // Keep the dragged position on screen until the document catches up.
        window.setTimeout(() => setDrag((d) => (d?.key === g.card.key ? null : d)), 400)
      } else if (!g.moved) o2.onTapCard(g.card)
      return
    }
    if (!g.moved) {
      if (g.link) o2.onTapLink(g.link)
      else o2.onTapEmpty()
    }
  }

  const onPointerCancel = (e: React.PointerEvent) => {
    opts.current.pz.onPointerUp(e)
    gesture.current = null
    setBand(null)
    setDrag(null)
    opts.current.publish({ drag: null })
  }

  const onPointerLeave = () => opts.current.publish({ cursor: null })

  return { drag, band, handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel, onPointerLeave } }
}
