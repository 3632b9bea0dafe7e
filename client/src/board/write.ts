// Everything the board writes: links, positions, vision items. A participant writes only strictly
// below their own `people` entry; the facilitator writes the vision.
import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import { nanoid } from 'nanoid'
import { VALUE, VISION, createVisionItem, linksOf, peopleOf, valuesOf, visionOf, type Pos } from '../../../shared/layout'
import { LIMITS } from '../../../shared/limits'

/** Transactions from the board, tracked by the undo manager alongside plain local edits. */
export const BOARD_ORIGIN = 'kasane-board'

const round = (p: Pos): Pos => ({ x: Math.round(p.x), y: Math.round(p.y) })

export function newId(): string {
  return nanoid(12)
}

export type LinkResult = 'ok' | 'too-many' | 'missing'

export function writeLink(doc: Y.Doc, owner: string, from: string, to: string, reason: string): LinkResult {
  const person = peopleOf(doc).get(owner)
  const links = person && linksOf(person)
  if (!links) return 'missing'
  let existing: string | null = null
  links.forEach((l, id) => {
    if (l.from === from && l.to === to) existing = id
  })
  if (!existing && links.size >= LIMITS.linksMax) return 'too-many'
  doc.transact(() => links.set(existing ?? newId(), { from, to, reason: reason.trim() }), BOARD_ORIGIN)
  return 'ok'
}

export function deleteLink(doc: Y.Doc, owner: string, id: string): void {
  const person = peopleOf(doc).get(owner)
  const links = person && linksOf(person)
  if (links?.has(id)) doc.transact(() => links.delete(id), BOARD_ORIGIN)
}

export function moveValue(doc: Y.Doc, owner: string, valueId: string, pos: Pos): void {
  const person = peopleOf(doc).get(owner)
  const value = person && valuesOf(person)?.get(valueId)
  if (value instanceof Y.Map) doc.transact(() => value.set(VALUE.pos, round(pos)), BOARD_ORIGIN)
}

export function moveVision(doc: Y.Doc, id: string, pos: Pos): void {
  const item = visionOf(doc).get(id)
  if (item instanceof Y.Map) doc.transact(() => item.set(VISION.pos, round(pos)), BOARD_ORIGIN)
}

export function addVision(doc: Y.Doc, title: string, body: string, pos: Pos): string {
  const id = newId()
  doc.transact(() => createVisionItem(doc, id, title, body, round(pos)), BOARD_ORIGIN)
  return id
}

function replaceText(text: Y.Text, value: string): void {
  if (text.toString() === value) return
  text.delete(0, text.length)
  text.insert(0, value)
}

export function editVision(doc: Y.Doc, id: string, title: string, body: string): void {
  const item = visionOf(doc).get(id)
  if (!(item instanceof Y.Map)) return
  doc.transact(() => {
    const t = item.get(VISION.title)
    const b = item.get(VISION.body)
    if (t instanceof Y.Text) replaceText(t, title)
    else item.set(VISION.title, new Y.Text(title))
    if (b instanceof Y.Text) replaceText(b, body)
    else item.set(VISION.body, new Y.Text(body))
  }, BOARD_ORIGIN)
}

export function deleteVision(doc: Y.Doc, id: string): void {
  doc.transact(() => visionOf(doc).delete(id), BOARD_ORIGIN)
}

/** Undo and redo of one's own edits: the participant's entry, or the facilitator's vision. */
export function useUndo(doc: Y.Doc, participantId: string | null): Y.UndoManager | null {
  const [scope, setScope] = useState<Y.AbstractType<any> | null>(null)
  useEffect(() => {
    // The participant's entry arrives with the first sync, and goes when they are removed.
    const find = () => setScope(participantId ? (peopleOf(doc).get(participantId) ?? null) : visionOf(doc))
    find()
    peopleOf(doc).observe(find)
    return () => peopleOf(doc).unobserve(find)
  }, [doc, participantId])
  const [manager, setManager] = useState<Y.UndoManager | null>(null)
  useEffect(() => {
    if (!scope) {
      setManager(null)
      return
    }
    const m = new Y.UndoManager(scope, { trackedOrigins: new Set([null, BOARD_ORIGIN]), captureTimeout: 500 })
    setManager(m)
    return () => m.destroy()
  }, [scope])
  return manager
}
