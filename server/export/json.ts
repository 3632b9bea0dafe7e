// Every outcome of a workshop as structured JSON (SPEC §7): the board's items with their ids,
// never a notebook. Field by field in EXPORT_JSON.md.
import { PROTOCOL } from '../../shared/protocol.js'
import { stampsReceived } from '../../shared/layout.js'
import { onRoster, peopleInOrder, type ExportInput } from './input.js'

export type ExportJson = ReturnType<typeof buildExportJson>

export function buildExportJson(input: ExportInput, exportedAt: number) {
  const w = input.workshop
  return {
    protocol: PROTOCOL,
    exportedAt: new Date(exportedAt).toISOString(),
    workshop: {
      code: w.code,
      title: w.title,
      locale: w.locale,
      template: w.template,
      createdAt: new Date(w.createdAt).toISOString(),
      ended: w.ended,
    },
    phases: w.phases.map((p) => ({ id: p.id, kind: p.kind, title: p.title, prompt: p.prompt, durationSec: p.durationSec })),
    roster: input.roster.map((p) => ({ participantId: p.participantId, name: p.name, color: p.color, joinedAt: new Date(p.joinedAt).toISOString() })),
    vision: input.vision.map((v) => ({ id: v.id, title: v.title, body: v.body, pos: { x: v.pos.x, y: v.pos.y } })),
    people: peopleInOrder(input).map(({ person, view }) => ({
      participantId: person.participantId,
      name: person.name,
      checkin: view.checkin,
      values: view.values.map((v) => ({ id: v.id, text: v.text, rank: v.rank, pos: { x: v.pos.x, y: v.pos.y } })),
      purpose: view.purpose,
      links: view.links.map((l) => ({ id: l.id, from: l.from, to: l.to, reason: l.reason })),
      commitment: view.commitment,
      autonomy: view.autonomy,
      reactions: Object.entries(view.reactions)
        .map(([to, stamp]) => ({ to, stamp }))
        .sort((a, b) => a.to.localeCompare(b.to)),
      stampsReceived: stampsReceived(onRoster(input), person.participantId),
    })),
  }
}
