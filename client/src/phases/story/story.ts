// The life story in the notebook: moments in the order the participant tells them.
import * as Y from 'yjs'
import { nanoid } from 'nanoid'
import { MOMENT, storyOf } from '../../../../shared/layout'
import { LIMITS } from '../../../../shared/limits'

export function addMoment(notebook: Y.Doc): string | null {
  const story = storyOf(notebook)
  if (story.length >= LIMITS.storyMax) return null
  const id = nanoid(12)
  const m = new Y.Map<unknown>()
  m.set(MOMENT.id, id)
  m.set(MOMENT.when, '')
  m.set(MOMENT.text, new Y.Text())
  m.set(MOMENT.level, 0)
  story.push([m])
  return id
}

/** Moves a moment one place up (-1) or down (+1). Yjs types cannot move, so it is copied. */
export function moveMoment(notebook: Y.Doc, index: number, by: -1 | 1): void {
  const story = storyOf(notebook)
  const to = index + by
  if (index < 0 || index >= story.length || to < 0 || to >= story.length) return
  const old = story.get(index)
  const copy = new Y.Map<unknown>()
  copy.set(MOMENT.id, String(old.get(MOMENT.id) ?? nanoid(12)))
  copy.set(MOMENT.when, String(old.get(MOMENT.when) ?? ''))
  const text = old.get(MOMENT.text)
  copy.set(MOMENT.text, new Y.Text(text instanceof Y.Text ? text.toString() : ''))
  copy.set(MOMENT.level, clampLevel(Number(old.get(MOMENT.level))))
  notebook.transact(() => {
    story.delete(index, 1)
    story.insert(to, [copy])
  })
}

export function removeMoment(notebook: Y.Doc, index: number): void {
  const story = storyOf(notebook)
  if (index >= 0 && index < story.length) story.delete(index, 1)
}

export function clampLevel(n: number): number {
  if (!Number.isFinite(n)) return 0
  return Math.max(LIMITS.levelMin, Math.min(LIMITS.levelMax, Math.round(n)))
}
