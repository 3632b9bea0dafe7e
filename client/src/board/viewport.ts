// The board's view: the board point at the centre of the screen and the zoom (screen px per board
// unit). `focus:set` carries a zoom normalised to a 1000 px wide view, so a phone shows the same
// area as the facilitator's wide screen.
import { LIMITS } from '../../../shared/limits'

export type Viewport = { x: number; y: number; zoom: number }
export type Size = { w: number; h: number }
export type Box = { minX: number; minY: number; maxX: number; maxY: number }

export const MIN_ZOOM = 0.1
export const MAX_ZOOM = 4
const FOCUS_WIDTH = 1000

export const clampZoom = (z: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z))

/** A CSS transform for the board's layer (an HTML element, so the browser moves it as one piece). */
export function transformOf(v: Viewport, size: Size): string {
  const tx = size.w / 2 - v.x * v.zoom
  const ty = size.h / 2 - v.y * v.zoom
  return `translate(${tx.toFixed(2)}px, ${ty.toFixed(2)}px) scale(${v.zoom.toFixed(4)})`
}

export function screenToBoard(v: Viewport, size: Size, sx: number, sy: number): { x: number; y: number } {
  return { x: v.x + (sx - size.w / 2) / v.zoom, y: v.y + (sy - size.h / 2) / v.zoom }
}

/** Zoom by `factor` keeping the board point under the screen point (sx, sy) in place. */
export function zoomAt(v: Viewport, size: Size, factor: number, sx: number, sy: number): Viewport {
  const zoom = clampZoom(v.zoom * factor)
  const p = screenToBoard(v, size, sx, sy)
  return { zoom, x: p.x - (sx - size.w / 2) / zoom, y: p.y - (sy - size.h / 2) / zoom }
}

export function fitBox(box: Box, size: Size, margin = 40): Viewport {
  const bw = Math.max(1, box.maxX - box.minX)
  const bh = Math.max(1, box.maxY - box.minY)
  const zoom = clampZoom(Math.min((size.w - margin * 2) / bw, (size.h - margin * 2) / bh, 1))
  return { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2, zoom }
}

export function toFocus(v: Viewport, size: Size) {
  const zoom = Math.min(LIMITS.zoomMax, Math.max(LIMITS.zoomMin, (v.zoom * FOCUS_WIDTH) / Math.max(1, size.w)))
  return { x: Math.round(v.x * 10) / 10, y: Math.round(v.y * 10) / 10, zoom: Math.round(zoom * 1000) / 1000 }
}

export function fromFocus(f: { x: number; y: number; zoom: number }, size: Size): Viewport {
  return { x: f.x, y: f.y, zoom: clampZoom((f.zoom * size.w) / FOCUS_WIDTH) }
}
