// Pan and zoom by mouse, wheel, trackpad and pinch. The view lives in a ref and is applied to the
// layer's CSS transform directly, so panning never re-renders the cards; while a gesture runs the
// layer is promoted (`will-change`) so the browser moves its pixels instead of repainting them,
// and dropped afterwards so text is drawn sharp at the new zoom.
import { useCallback, useEffect, useRef, type RefObject } from 'react'
import { fitBox, transformOf, zoomAt, type Box, type Size, type Viewport } from './viewport'

type Listener = (v: Viewport, size: Size) => void

export type PanZoom = {
  view: RefObject<Viewport>
  size: RefObject<Size>
  /** True once the person moved the view themselves; until then the board keeps fitting its content. */
  touched: RefObject<boolean>
  set(v: Viewport): void
  zoomBy(factor: number): void
  fit(box: Box): void
  panBy(dx: number, dy: number): void
  /** Background pointer handlers (cards handle their own). */
  onPointerDown(e: React.PointerEvent): void
  onPointerMove(e: React.PointerEvent): void
  onPointerUp(e: React.PointerEvent): void
}

export function usePanZoom(
  svgRef: RefObject<HTMLElement | null>,
  layerRef: RefObject<HTMLElement | null>,
  onChange: Listener,
  onResize?: () => void,
): PanZoom {
  const view = useRef<Viewport>({ x: 0, y: 0, zoom: 1 })
  const size = useRef<Size>({ w: 800, h: 600 })
  const pointers = useRef(new Map<number, { x: number; y: number }>())
  const touched = useRef(false)
  const frame = useRef(0)
  const changed = useRef(onChange)
  changed.current = onChange
  const resized = useRef(onResize)
  resized.current = onResize

  const apply = useCallback(() => {
    if (frame.current) return
    frame.current = requestAnimationFrame(() => {
      frame.current = 0
      if (layerRef.current) layerRef.current.style.transform = transformOf(view.current, size.current)
      svgRef.current?.style.setProperty('--z', String(view.current.zoom))
      changed.current(view.current, size.current)
    })
  }, [layerRef, svgRef])

  const settle = useRef(0)
  const moving = useCallback(() => {
    layerRef.current?.classList.add('is-moving')
    window.clearTimeout(settle.current)
    settle.current = window.setTimeout(() => {
      if (pointers.current.size === 0) layerRef.current?.classList.remove('is-moving')
    }, 200)
  }, [layerRef])

  const set = useCallback(
    (v: Viewport) => {
      view.current = v
      apply()
    },
    [apply],
  )

  useEffect(() => {
    const svg = svgRef.current
    if (!svg) return
    const measure = () => {
      const r = svg.getBoundingClientRect()
      const next = { w: Math.max(1, r.width), h: Math.max(1, r.height) }
      if (next.w === size.current.w && next.h === size.current.h) return
      size.current = next
      resized.current?.()
      apply()
    }
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(svg)
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      touched.current = true
      moving()
      const r = svg.getBoundingClientRect()
      const sx = e.clientX - r.left
      const sy = e.clientY - r.top
      const px = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? r.height : 1
      const dy = e.deltaY * px
      const dx = e.deltaX * px
      // Pinch on a trackpad arrives as ctrl+wheel; a mouse wheel as whole notches; anything else pans.
      const mouseWheel = e.deltaMode !== 0 || (dx === 0 && Math.abs(dy) >= 50 && Number.isInteger(dy))
      if (e.ctrlKey || e.metaKey || mouseWheel) {
        set(zoomAt(view.current, size.current, Math.exp(-dy * (e.ctrlKey ? 0.01 : 0.0015)), sx, sy))
      } else {
        set({ ...view.current, x: view.current.x + dx / view.current.zoom, y: view.current.y + dy / view.current.zoom })
      }
    }
    svg.addEventListener('wheel', onWheel, { passive: false })
    return () => {
      ro.disconnect()
      svg.removeEventListener('wheel', onWheel)
      if (frame.current) cancelAnimationFrame(frame.current)
      frame.current = 0
    }
  }, [svgRef, apply, set, moving])

  const local = (e: React.PointerEvent) => {
    const r = svgRef.current!.getBoundingClientRect()
    return { x: e.clientX - r.left, y: e.clientY - r.top }
  }

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return
    ;(e.currentTarget as Element).setPointerCapture(e.pointerId)
    pointers.current.set(e.pointerId, local(e))
    layerRef.current?.classList.add('is-moving')
  }

  const onPointerMove = (e: React.PointerEvent) => {
    const prev = pointers.current.get(e.pointerId)
    if (!prev) return
    const now = local(e)
    const all = pointers.current
    touched.current = true
    if (all.size === 1) {
      const v = view.current
      set({ ...v, x: v.x - (now.x - prev.x) / v.zoom, y: v.y - (now.y - prev.y) / v.zoom })
    } else if (all.size === 2) {
      const other = [...all.entries()].find(([id]) => id !== e.pointerId)![1]
      const before = { mx: (prev.x + other.x) / 2, my: (prev.y + other.y) / 2, d: Math.hypot(prev.x - other.x, prev.y - other.y) }
      const after = { mx: (now.x + other.x) / 2, my: (now.y + other.y) / 2, d: Math.hypot(now.x - other.x, now.y - other.y) }
      let v = zoomAt(view.current, size.current, before.d > 0 ? after.d / before.d : 1, after.mx, after.my)
      v = { ...v, x: v.x - (after.mx - before.mx) / v.zoom, y: v.y - (after.my - before.my) / v.zoom }
      set(v)
    }
    all.set(e.pointerId, now)
  }

  const onPointerUp = (e: React.PointerEvent) => {
    pointers.current.delete(e.pointerId)
    if (pointers.current.size === 0) moving()
  }

  const zoomBy = useCallback((f: number) => {
    touched.current = true
    set(zoomAt(view.current, size.current, f, size.current.w / 2, size.current.h / 2))
  }, [set])
  const fit = useCallback((box: Box) => set(fitBox(box, size.current)), [set])
  const panBy = useCallback((dx: number, dy: number) => {
    touched.current = true
    set({ ...view.current, x: view.current.x + dx / view.current.zoom, y: view.current.y + dy / view.current.zoom })
  }, [set])

  return { view, size, touched, set, zoomBy, fit, panBy, onPointerDown, onPointerMove, onPointerUp }
}
