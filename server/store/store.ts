// Storage where the deployment varies (SQLite embedded, PostgreSQL for multi-node). Every
// implementation passes tests/integration/store-contract.test.ts.
import type { Focus, Locale, Phase, Timer } from '../../shared/protocol.js'

/** The facilitator-driven part of a workshop, kept as one JSON value. */
export type ControlRecord = {
  phases: Phase[]
  phaseIndex: number
  timer: Timer
  locked: boolean
  ended: boolean
  focus: Focus | null
  ready: Record<string, boolean>
  groups: Record<string, number>
}

export type WorkshopRecord = {
  code: string
  title: string
  locale: Locale
  template: string
  facilitatorTokenHash: string
  control: ControlRecord
  createdAt: number
  lastActivity: number
}

export type ParticipantRecord = {
  code: string
  participantId: string
  name: string
  color: string
  tokenHash: string
  joinedAt: number
}

export type TokenOwner =
  | { role: 'facilitator'; code: string }
  | { role: 'participant'; code: string; participantId: string }

export type StoredDoc = { snapshot: Uint8Array | null; updates: Uint8Array[]; lastSeq: number }

export interface Store {
  readonly kind: 'sqlite' | 'postgres'
  ping(): Promise<boolean>

  /** False when the code is taken (the caller draws another). */
  createWorkshop(rec: WorkshopRecord): Promise<boolean>
  getWorkshop(code: string): Promise<WorkshopRecord | null>
  /**
   * Reads the control record, lets `change` decide, and writes what it returns, atomically with
   * respect to every other node. `change` is pure and synchronous.
   */
  updateControl<T>(code: string, now: number, change: (rec: WorkshopRecord) => { control?: ControlRecord; result: T }): Promise<T | null>
  touch(code: string, now: number): Promise<void>
  /** Workshops whose last activity is before `before` (retention). */
  staleWorkshops(before: number): Promise<string[]>
  /** Removes the workshop, its participants and documents so that nothing is recoverable. */
  deleteWorkshop(code: string): Promise<void>

  /** 'full' when the workshop already has `max` participants. */
  addParticipant(rec: ParticipantRecord, max: number): Promise<'ok' | 'full'>
  listParticipants(code: string): Promise<ParticipantRecord[]>
  getParticipant(code: string, participantId: string): Promise<ParticipantRecord | null>
  /** Deletes the participant (its token stops working) and its notebook document. */
  removeParticipant(code: string, participantId: string): Promise<void>
  findToken(tokenHash: string): Promise<TokenOwner | null>

  /**
   * Appends one update to a document's log and returns its sequence number once durable (WAL):
   * at once when the store writes synchronously (SQLite), else as a promise (PostgreSQL).
   */
  appendUpdate(doc: string, update: Uint8Array): number | Promise<number>
  loadDoc(doc: string): Promise<StoredDoc>
  /** Replaces the log up to `uptoSeq` with a snapshot encoded from the live document. */
  compactDoc(doc: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>
  deleteDoc(doc: string): Promise<void>

  close(): Promise<void>
}

/** Document names are Yjs room names: `<code>` and `<code>/notebook/<participantId>`. */
export const docsOfWorkshopPrefix = (code: string) => `${code}/`
