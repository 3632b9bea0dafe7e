// Dragging a card between piles with a mouse or pen (touch taps instead). The card follows the
// pointer; dropping it on a pile moves it there, and the click that ends a drag is swallowed.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Pile } from '../../../../shared/layout'

export type Drag = { id: string; dx: number; dy: number; over: Pile | null }

const THRESHOLD = 6

function pileAt(x: number, y: number): Pile | null {
  const el = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-pile]')
  const p = el?.dataset.pile
  return p === 'very' || p === 'important' || p === 'not' ? p : null
}

export function useCardDrag(onDrop: (id: string, pile: Pile) => void) {
  const [drag, setDrag] = useState<Drag | null>(null)
  const start = useRef<{ id: string; x: number; y: number; moved: boolean } | null>(null)
  const swallowClick = useRef(false)

  useEffect(() => {
    const move = (e: PointerEvent) => {
      const s = start.current
      if (!s) return
      const dx = e.clientX - s.x
      const dy = e.clientY - s.y
      if (!s.moved && Math.hypot(dx, dy) < THRESHOLD) return
      s.moved = true
      setDrag({ id: s.id, dx, dy, over: pileAt(e.clientX, e.clientY) })
    }
    const up = (e: PointerEvent) => {
      const s = start.current
      start.current = null
      if (!s?.moved) return
      // The click that may follow this pointerup (same task) must not also cycle the pile; a click
      // that does not follow (the pointer ended over another element) must not swallow the next one.
      swallowClick.current = true
      setTimeout(() => (swallowClick.current = false), 0)
      setDrag(null)
      const pile = pileAt(e.clientX, e.clientY)
      if (pile) onDrop(s.id, pile)
    }
    const cancel = () => {
      start.current = null
      setDrag(null)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
    window.addEventListener('pointercancel', cancel)
    return () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
      window.removeEventListener('pointercancel', cancel)
    }
  }, [onDrop])

  const onPointerDown = useCallback((id: string, e: React.PointerEvent) => {
    if (e.pointerType === 'touch' || e.button !== 0) return
    start.current = { id, x: e.clientX, y: e.clientY, moved: false }
  }, [])

  /** True (once) when the click event ends a drag and must not also cycle the pile. */
  const consumeDragClick = useCallback(() => {
    const was = swallowClick.current
    swallowClick.current = false
    return was
  }, [])

  return { drag, onPointerDown, consumeDragClick }
}
