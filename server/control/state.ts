// The whole WorkshopState of SPEC §4, built from the stored record and who is online.
import { PROTOCOL, type WorkshopState } from '../../shared/protocol.js'
import type { ParticipantRecord, WorkshopRecord } from '../store/store.js'
import { settleTimer, timerAt } from './core.js'

export function buildState(rec: WorkshopRecord, participants: ParticipantRecord[], online: ReadonlySet<string>, now: number): WorkshopState {
  const c = settleTimer(rec.control, now)
  return {
    protocol: PROTOCOL,
    code: rec.code,
    title: rec.title,
    locale: rec.locale,
    template: rec.template,
    phases: c.phases,
    phaseIndex: c.phaseIndex,
    timer: timerAt(c.timer, now),
    locked: c.locked,
    ended: c.ended,
    focus: c.focus,
    roster: participants.map((p) => ({
      participantId: p.participantId,
      name: p.name,
      color: p.color,
      online: online.has(p.participantId),
      ready: c.ready[p.participantId] === true,
      group: c.groups[p.participantId] ?? null,
    })),
    serverTime: now,
  }
}
