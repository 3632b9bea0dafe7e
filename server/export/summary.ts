// Links gathered per vision item, for the report's map and sections: identical value words are
// grouped with counts so that the map stays readable with 60 people and hundreds of links.
import type { VisionItemView } from '../../shared/layout.js'
import { PURPOSE_SOURCE } from '../../shared/layout.js'
import { peopleInOrder, type ExportInput, type RosterPerson } from './input.js'

export type LinkEntry = { person: RosterPerson; source: 'value' | 'purpose'; text: string; reason: string; linkId: string }
export type ValueGroup = { text: string; count: number; entries: LinkEntry[] }
export type VisionSummary = {
  item: VisionItemView
  entries: LinkEntry[]
  groups: ValueGroup[]
  purposeCount: number
  people: number
}

/** Grouping key: case, width and spacing differences do not make two values different. */
const groupKey = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()

export function summarizeVision(input: ExportInput): VisionSummary[] {
  const byItem = new Map<string, LinkEntry[]>(input.vision.map((v) => [v.id, []]))
  for (const { person, view } of peopleInOrder(input)) {
    const values = new Map(view.values.map((v) => [v.id, v.text]))
    for (const link of view.links) {
      const list = byItem.get(link.to)
      if (!list) continue
      if (link.from === PURPOSE_SOURCE) list.push({ person, source: 'purpose', text: view.purpose, reason: link.reason, linkId: link.id })
      else {
        const text = values.get(link.from)
        if (text !== undefined) list.push({ person, source: 'value', text, reason: link.reason, linkId: link.id })
      }
    }
  }
  return input.vision.map((item) => {
    const entries = byItem.get(item.id) ?? []
    const groups = new Map<string, ValueGroup>()
    for (const e of entries) {
      if (e.source !== 'value') continue
      const k = groupKey(e.text)
      const g = groups.get(k)
      if (g) {
        g.count++
        g.entries.push(e)
      } else groups.set(k, { text: e.text.trim(), count: 1, entries: [e] })
    }
    return {
      item,
      entries,
      groups: [...groups.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)),
      purposeCount: entries.filter((e) => e.source === 'purpose').length,
      people: new Set(entries.map((e) => e.person.participantId)).size,
    }
  })
}
