// Rows as node-postgres returns them, and the records the Store hands out.
import type { Locale } from '../../shared/protocol.js'
import type { ControlRecord, ParticipantRecord, WorkshopRecord } from './store.js'

export type WorkshopRow = {
  code: string
  title: string
  locale: string
  template: string
  facilitator_hash: string
  control: string
  created_at: string
  last_activity: string
}
// Never the document key: it stays in the database and this store.
export const WORKSHOP_COLUMNS = 'code, title, locale, template, facilitator_hash, control, created_at, last_activity'
export type ParticipantRow = { code: string; participant_id: string; name: string; color: string; token_hash: string; joined_at: string }

// BIGINT arrives as a string; every value stored here is an epoch ms or a sequence number.
export const toWorkshop = (r: WorkshopRow): WorkshopRecord => ({
  code: r.code,
  title: r.title,
  locale: r.locale as Locale,
  template: r.template,
  facilitatorTokenHash: r.facilitator_hash,
  control: JSON.parse(r.control) as ControlRecord,
  createdAt: Number(r.created_at),
  lastActivity: Number(r.last_activity),
})

export const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  code: r.code,
  participantId: r.participant_id,
  name: r.name,
  color: r.color,
  tokenHash: r.token_hash,
  joinedAt: Number(r.joined_at),
})

// Every name starting with `prefix` sorts in [prefix, prefixEnd(prefix)) under COLLATE "C".
export const prefixEnd = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
