// What a participant writes over a workshop, as a sequence of separate updates (the way the
// client sends them while someone types, drags and clicks): a check-in word, five values with
// ranks and a few moves, a purpose typed in chunks, two links to the vision, a commitment and
// three stamps. Used to give the join scenario a realistic board with its history.
import { nanoid } from 'nanoid'
import * as Y from 'yjs'
import { VALUE, createValue, linksOf, peopleOf, personText, reactionsOf, valuesOf, visionOf } from '../shared/layout.js'
import type { BenchClient } from './client.js'
import { sleep } from './stats.js'

const WORDS = ['curious', 'grateful', 'ready', 'calm', 'bright', 'hopeful']
const VALUES = ['Honesty', 'Curiosity', 'Craft', 'Kindness', 'Courage', 'Growth', 'Play', 'Trust']
const PURPOSE = 'I help the people around me find the courage to try new things, so that our work feels like our own and our customers feel it too.'
const COMMITMENT = 'Ask one colleague each week what they would change first.'
const STAMPS = ['resonates', 'inspiring', 'cheering'] as const

function typeInto(client: BenchClient, text: Y.Text, s: string, chunk: number): (() => void)[] {
  const steps: (() => void)[] = []
  for (let i = 0; i < s.length; i += chunk) {
    const part = s.slice(i, i + chunk)
    steps.push(() => client.change(() => text.insert(text.length, part)))
  }
  return steps
}

/** The updates one participant sends, as thunks; each thunk sends one update. */
export function participantSteps(client: BenchClient, others: string[], index: number, chunk = 6): (() => void)[] {
  const doc = client.doc
  const person = peopleOf(doc).get(client.spec.participantId)
  if (!(person instanceof Y.Map)) throw new Error(`client ${client.index}: no people entry`)
  const values = valuesOf(person)!
  const links = linksOf(person)!
  const reactions = reactionsOf(person)!
  const visionIds = [...visionOf(doc).keys()]
  const steps: (() => void)[] = []
  steps.push(...typeInto(client, personText(person, 'checkin')!, WORDS[index % WORDS.length]!, 3))
  const valueIds: string[] = []
  for (let v = 0; v < 5; v++) {
    const id = nanoid(10)
    valueIds.push(id)
    const text = VALUES[(index + v) % VALUES.length]!
    steps.push(() => client.change(() => values.set(id, createValue(text, null, { x: 40 * v, y: 300 }))))
  }
  for (let v = 0; v < 3; v++) {
    steps.push(() => client.change(() => (values.get(valueIds[v]!) as Y.Map<unknown>).set(VALUE.rank, (v + 1) as 1 | 2 | 3)))
    steps.push(() => client.change(() => (values.get(valueIds[v]!) as Y.Map<unknown>).set(VALUE.pos, { x: 500 + 40 * v, y: 120 + index })))
  }
  steps.push(...typeInto(client, personText(person, 'purpose')!, PURPOSE, chunk))
  for (let l = 0; l < 2 && l < visionIds.length; l++) {
    const from = l === 0 ? 'purpose' : valueIds[0]!
    const to = visionIds[(index + l) % visionIds.length]!
    steps.push(() => client.change(() => links.set(nanoid(10), { from, to, reason: 'This is where I see myself contributing.' })))
  }
  steps.push(...typeInto(client, personText(person, 'commitment')!, COMMITMENT, chunk))
  for (let r = 0; r < 3 && r < others.length; r++) {
    const to = others[(index + r + 1) % others.length]!
    if (to === client.spec.participantId) continue
    steps.push(() => client.change(() => reactions.set(to, STAMPS[r % STAMPS.length]!)))
  }
  return steps
}

/**
 * Every client sends its updates, interleaved with the others, `perTick` of them per 5 ms; texts
 * are typed `chunk` characters per update.
 */
export async function prefill(clients: BenchClient[], chunk = 6, perTick = 20): Promise<number> {
  const ids = clients.map((c) => c.spec.participantId)
  const queues = clients.map((c, i) => participantSteps(c, ids, i, chunk))
  let sent = 0
  for (let round = 0; queues.some((q) => q.length > 0); round++) {
    let inTick = 0
    for (const q of queues) {
      const step = q.shift()
      if (!step) continue
      step()
      sent++
      if (++inTick >= perTick) {
        await sleep(5)
        inTick = 0
      }
    }
    await sleep(5)
  }
  await Promise.all(clients.map((c) => c.roundTrip(30_000)))
  return sent
}
