// What the current phase asks of each participant, done or not, from the board alone. The life
// story lives in the private notebook, so its progress is never shown.
import type { PersonView } from '../../../shared/layout'

export type Progress = { key: string; count?: number; done: boolean } | null

export function progressFor(kind: string, person: PersonView | undefined): Progress {
  if (!person) return null
  switch (kind) {
    case 'checkin':
      return person.checkin.trim() ? { key: 'progress.checkin', done: true } : { key: 'progress.noCheckin', done: false }
    case 'story':
      return { key: 'progress.story', done: false }
    case 'values':
      return { key: 'progress.values', count: person.values.length, done: person.values.length >= 3 }
    case 'purpose':
      return person.purpose.trim() ? { key: 'progress.purpose', done: true } : { key: 'progress.noPurpose', done: false }
    case 'connect':
      return { key: 'progress.links', count: person.links.length, done: person.links.length > 0 }
    case 'share': {
      const n = Object.keys(person.reactions).length
      return { key: 'progress.stamps', count: n, done: n > 0 }
    }
    case 'commit':
      return person.commitment.trim() ? { key: 'progress.commitment', done: true } : { key: 'progress.noCommitment', done: false }
    default:
      return null
  }
}
