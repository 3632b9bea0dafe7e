// Keys of the notebook's `drafts` map. Everything a participant writes before publishing lives
// here, so that it is private, survives a refresh and syncs between their own devices.
// Keys are URL-safe ids of 8–32 characters, like every other id in Kasane.
import * as Y from 'yjs'
import { nanoid } from 'nanoid'
import { CUSTOM_CARD_PREFIX, draftsOf } from '../../../shared/layout'

export const DRAFT = {
  checkin: 'note-checkin',
  commitment: 'note-commitment',
  autonomy: 'note-autonomy',
  /** The card ids chosen as top three, in rank order, separated by spaces. */
  topThree: 'note-top-three',
} as const

export const PURPOSE_DRAFT_PREFIX = 'purpose-'

/** A new purpose draft key; keys sort in the order the drafts were made. */
export function newPurposeDraftKey(now = Date.now()): string {
  return `${PURPOSE_DRAFT_PREFIX}${now.toString(36).padStart(9, '0')}${nanoid(6)}`
}

export function newCustomCardId(): string {
  return `${CUSTOM_CARD_PREFIX}${nanoid(12)}`
}

export const isPurposeDraft = (key: string) => key.startsWith(PURPOSE_DRAFT_PREFIX)

/** The draft text under `key`, created on first use. */
export function draftText(notebook: Y.Doc, key: string): Y.Text {
  const drafts = draftsOf(notebook)
  const existing = drafts.get(key)
  if (existing instanceof Y.Text) return existing
  const text = new Y.Text()
  drafts.set(key, text)
  return text
}

/** The draft text under `key` if it exists, without creating it. */
export function peekDraft(notebook: Y.Doc, key: string): Y.Text | undefined {
  const t = draftsOf(notebook).get(key)
  return t instanceof Y.Text ? t : undefined
}
