// What an export reads: the workshop record, its roster and the board, as plain values. Gathered
// once per request from the store and a read-only copy of the board document.
import type * as Y from 'yjs'
import type { Locale, Phase } from '../../shared/protocol.js'
import { readPeople, readVision, type PersonView, type VisionItemView } from '../../shared/layout.js'
import type { Store } from '../store/store.js'

export type ExportWorkshop = {
  code: string
  title: string
  locale: Locale
  template: string
  createdAt: number
  ended: boolean
  phases: Phase[]
}

export type RosterPerson = { participantId: string; name: string; color: string; joinedAt: number }

export type ExportInput = {
  workshop: ExportWorkshop
  /** Current participants in join order; people not on it (removed) are never printed. */
  roster: RosterPerson[]
  vision: VisionItemView[]
  people: PersonView[]
}

export async function gatherInput(store: Store, readDoc: (name: string) => Promise<Y.Doc>, code: string): Promise<ExportInput | null> {
  const rec = await store.getWorkshop(code)
  if (!rec) return null
  const [participants, board] = await Promise.all([store.listParticipants(code), readDoc(code)])
  const roster = participants
    .map((p) => ({ participantId: p.participantId, name: p.name, color: p.color, joinedAt: p.joinedAt }))
    .sort((a, b) => a.joinedAt - b.joinedAt || a.participantId.localeCompare(b.participantId))
  return {
    workshop: {
      code: rec.code,
      title: rec.title,
      locale: rec.locale,
      template: rec.template,
      createdAt: rec.createdAt,
      ended: rec.control.ended,
      phases: rec.control.phases,
    },
    roster,
    vision: readVision(board),
    people: readPeople(board),
  }
}

/** Board entries of the people on the roster, in roster order (an empty entry when missing). */
export function peopleInOrder(input: ExportInput): { person: RosterPerson; view: PersonView }[] {
  const byId = new Map(input.people.map((p) => [p.participantId, p]))
  return input.roster.map((person) => ({
    person,
    view: byId.get(person.participantId) ?? {
      participantId: person.participantId,
      checkin: '',
      values: [],
      purpose: '',
      links: [],
      commitment: '',
      autonomy: '',
      reactions: {},
    },
  }))
}

/** Board entries of people still on the roster (a removed person's stamps no longer count). */
export function onRoster(input: ExportInput): PersonView[] {
  const ids = new Set(input.roster.map((p) => p.participantId))
  return input.people.filter((p) => ids.has(p.participantId))
}

/** The workshop's date in the server's time zone. */
export function workshopDate(createdAt: number, lang: Locale): string {
  const fmt = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric' })
  return fmt.format(new Date(createdAt))
}

export type Counts = { participants: number; purposes: number; values: number; links: number; commitments: number }

export function countOutcomes(input: ExportInput): Counts {
  const rows = peopleInOrder(input)
  const visionIds = new Set(input.vision.map((v) => v.id))
  return {
    participants: rows.length,
    purposes: rows.filter((r) => r.view.purpose.trim()).length,
    values: rows.reduce((n, r) => n + r.view.values.filter((v) => v.text.trim()).length, 0),
    links: rows.reduce((n, r) => n + r.view.links.filter((l) => visionIds.has(l.to)).length, 0),
    commitments: rows.filter((r) => r.view.commitment.trim()).length,
  }
}
