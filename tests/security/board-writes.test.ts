// Attacks on the board's write rules (SPEC §5): a participant with a valid connection sends updates
// built on a real replica of the board, each writing somewhere it may not or breaking the layout.
// Every attack must close that connection (4403, or 4409 for missing dependencies), leave the board
// as it was in memory and in SQLite, and leave Bob and the facilitator working.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, createValue, linksOf, peopleOf, personText, valuesOf, visionOf, type Link } from '../../shared/layout.js'
import { waitFor, type TestServer } from '../support/server.js'
import type { RawYjs } from '../support/raw.js'
import { Tracker, bootServer, digest, newScene, personField, stillServes, type Scene } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

const FORBIDDEN = 4403
const MISSING_DEPS = 4409

const mine = (doc: Y.Doc, pid: string) => peopleOf(doc).get(pid)!
const id = (n: number, prefix = 'val') => `${prefix}_${String(n).padStart(8, '0')}`

/** Alice's raw board connection, synced: her replica is the real board. */
const alice = (s: Scene) => t.rawSynced(s, s.code, s.alice.participantToken)

/**
 * The whole attack: `change` on Alice's replica becomes one update, sent raw; the connection must
 * close with `expected`, and the board must be untouched and still serve the others.
 */
async function refused(s: Scene, change: (doc: Y.Doc) => void, expected = FORBIDDEN, opts: { sub?: number; raw?: RawYjs } = {}) {
  const before = await digest(s, s.code, s.ws.facilitatorToken, t)
  const raw = opts.raw ?? (await alice(s))
  raw.sendUpdate(raw.capture(change), opts.sub)
  expect(await raw.closeCode()).toBe(expected)
  expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
  await stillServes(s)
}

/** Alice's own write, sent the same raw way, is accepted: the attacks fail for what they write. */
async function accepted(s: Scene, raw: RawYjs, change: (doc: Y.Doc) => void, seen: (fac: Y.Doc) => boolean) {
  raw.sendUpdate(raw.capture(change))
  await waitFor(() => seen(s.facBoard.doc), 'the accepted edit to reach the facilitator')
  expect(raw.closeInfo()).toBeNull()
}

describe('a participant writing where they may not', () => {
  it('control: the same raw path writes Alice\'s own purpose, 300 code points exactly', async () => {
    const s = await newScene(server, t)
    const raw = await alice(s)
    const text = '人'.repeat(150) + '🌱'.repeat(150) // 300 code points, 450 UTF-16 units
    await accepted(s, raw, (d) => personText(mine(d, s.alice.participantId), 'purpose')!.insert(0, text), (fac) => personField(fac, s.alice.participantId, PERSON.purpose) === text)
    await stillServes(s)
  })

  it('writing vision as a participant', async () => {
    const s = await newScene(server, t)
    await refused(s, (d) => {
      const first = [...visionOf(d).values()][0]!
      ;(first.get('title') as Y.Text).insert(0, 'HACKED ')
    })
    await refused(s, (d) => visionOf(d).set('vision_evil01', new Y.Map()))
  })

  it('writing another participant\'s entry', async () => {
    const s = await newScene(server, t)
    await refused(s, (d) => personText(mine(d, s.bob.participantId), 'purpose')!.insert(0, 'Bob wants to quit'))
    await refused(s, (d) => valuesOf(mine(d, s.bob.participantId))!.set(id(1), createValue('greed', 1, { x: 0, y: 0 })))
  })

  it('deleting another participant\'s value', async () => {
    const s = await newScene(server, t)
    valuesOf(mine(s.bobBoard.doc, s.bob.participantId))!.set(id(7), createValue('honesty', 1, { x: 1, y: 2 }))
    await waitFor(() => valuesOf(mine(s.facBoard.doc, s.bob.participantId))?.has(id(7)), 'bob\'s value on the board')
    await refused(s, (d) => valuesOf(mine(d, s.bob.participantId))!.delete(id(7)))
    await refused(s, (d) => (valuesOf(mine(d, s.bob.participantId))!.get(id(7))!.get('text') as Y.Text).delete(0, 3))
    expect(valuesOf(mine(s.facBoard.doc, s.bob.participantId))!.has(id(7))).toBe(true)
  })

  it('replacing or deleting one\'s own people entry (it is the server\'s)', async () => {
    const s = await newScene(server, t)
    await refused(s, (d) => peopleOf(d).set(s.alice.participantId, new Y.Map()))
    await refused(s, (d) => peopleOf(d).delete(s.alice.participantId))
    await refused(s, (d) => peopleOf(d).set('mallory_0001', new Y.Map()))
  })

  it('a new root key, as a participant and as the facilitator', async () => {
    const s = await newScene(server, t)
    await refused(s, (d) => d.getMap('admin').set('owner', 'alice'))
    await refused(s, (d) => d.getText('notes').insert(0, 'x'))
    const fac = await t.rawSynced(s, s.code, s.ws.facilitatorToken)
    await refused(s, (d) => d.getArray('extra').insert(0, [1]), FORBIDDEN, { raw: fac })
  })

  it('a field outside the layout, a wrong type, and the id "purpose"', async () => {
    const s = await newScene(server, t)
    const me = (d: Y.Doc) => mine(d, s.alice.participantId)
    await refused(s, (d) => me(d).set('secret', 'x'))
    await refused(s, (d) => valuesOf(me(d))!.set('purpose', createValue('sneaky', null, { x: 0, y: 0 })))
    await refused(s, (d) => valuesOf(me(d))!.set(id(1), new Y.Text('not a map') as never))
    await refused(s, (d) => valuesOf(me(d))!.set('short', createValue('bad id', null, { x: 0, y: 0 })))
    await refused(s, (d) => linksOf(me(d))!.set('purpose', { from: 'purpose', to: 'x'.repeat(12), reason: 'r' }))
    await refused(s, (d) => valuesOf(me(d))!.set(id(2), createValue('rank', 7 as never, { x: 0, y: 0 })))
    await refused(s, (d) => valuesOf(me(d))!.set(id(3), createValue('pos', null, { x: Infinity, y: 0 })))
    // A link whose value smuggles a prototype (readAny assigns obj['__proto__']).
    const visionId = [...visionOf(s.facBoard.doc).keys()][0]!
    await refused(s, (d) => linksOf(me(d))!.set('link_0000001', JSON.parse(`{"__proto__":{"polluted":true},"from":"purpose","to":"${visionId}","reason":"r"}`) as Link))
    await refused(s, (d) => linksOf(me(d))!.set('link_0000002', { from: 'purpose', to: visionId, reason: 'r', extra: 1 } as Link))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    await refused(s, (d) => me(d).get(PERSON.reactions) instanceof Y.Map && (me(d).get(PERSON.reactions) as Y.Map<string>).set(s.bob.participantId, 'hate'))
    await refused(s, (d) => me(d).get(PERSON.reactions) instanceof Y.Map && (me(d).get(PERSON.reactions) as Y.Map<string>).set(s.alice.participantId, 'inspiring'))
  })
})

describe('layout limits', () => {
  it('an over-long purpose (301 code points) and an over-long value text (61)', async () => {
    const s = await newScene(server, t)
    const me = (d: Y.Doc) => mine(d, s.alice.participantId)
    await refused(s, (d) => personText(me(d), 'purpose')!.insert(0, '🌱'.repeat(301)))
    await refused(s, (d) => personText(me(d), 'purpose')!.insert(0, 'a'.repeat(100_000)))
    await refused(s, (d) => valuesOf(me(d))!.set(id(1), createValue('v'.repeat(61), null, { x: 0, y: 0 })))
    await refused(s, (d) => personText(me(d), 'checkin')!.insert(0, 'c'.repeat(41)))
    // Only plain characters: no embeds, no formatting marks.
    await refused(s, (d) => personText(me(d), 'purpose')!.insertEmbed(0, { image: 'x'.repeat(5000) }))
    await refused(s, (d) => personText(me(d), 'purpose')!.insert(0, 'bold', { bold: true }))
    // Limits count code points after trimming white space (U+3000 included).
    const raw = await alice(s)
    const padded = '\u3000 \n' + 'w'.repeat(300) + ' \u3000\t'
    await accepted(s, raw, (d) => personText(me(d), 'commitment')!.insert(0, padded), (fac) => personField(fac, s.alice.participantId, PERSON.commitment) === padded)
    // Growing past the limit in two steps is refused as well.
    const base = 'p'.repeat(290)
    await accepted(s, raw, (d) => personText(me(d), 'purpose')!.insert(0, base), (fac) => personField(fac, s.alice.participantId, PERSON.purpose) === base)
    await refused(s, (d) => personText(me(d), 'purpose')!.insert(290, 'q'.repeat(11)), FORBIDDEN, { raw })
  })

  it('an 11th value and a 21st link', async () => {
    const s = await newScene(server, t)
    const me = (d: Y.Doc) => mine(d, s.alice.participantId)
    const raw = await alice(s)
    await accepted(
      s,
      raw,
      (d) => {
        for (let i = 0; i < 10; i++) valuesOf(me(d))!.set(id(i), createValue(`value ${i}`, null, { x: i, y: 0 }))
      },
      (fac) => valuesOf(mine(fac, s.alice.participantId))?.size === 10,
    )
    await refused(s, (d) => valuesOf(me(d))!.set(id(10), createValue('one too many', null, { x: 0, y: 0 })), FORBIDDEN, { raw })

    const visionId = [...visionOf(s.facBoard.doc).keys()][0]!
    const raw2 = await alice(s)
    await accepted(
      s,
      raw2,
      (d) => {
        for (let i = 0; i < 20; i++) linksOf(me(d))!.set(id(i, 'lnk'), { from: i % 2 ? 'purpose' : id(i % 10), to: visionId, reason: `because ${i}` } satisfies Link)
      },
      (fac) => linksOf(mine(fac, s.alice.participantId))?.size === 20,
    )
    await refused(s, (d) => linksOf(me(d))!.set(id(20, 'lnk'), { from: 'purpose', to: visionId, reason: 'one too many' }), FORBIDDEN, { raw: raw2 })
  })
})

describe('identity and integrity of updates', () => {
  it('a Yjs client id already used by another participant', async () => {
    const s = await newScene(server, t)
    await stillServes(s) // Bob has written with his client id
    const raw = await alice(s)
    raw.doc.clientID = s.bobBoard.doc.clientID
    await refused(s, (d) => personText(mine(d, s.alice.participantId), 'purpose')!.insert(0, 'as Bob'), FORBIDDEN, { raw })
    // The facilitator's client id is not for the taking either.
    const fac = t.doc(s, s.code, s.ws.facilitatorToken)
    await fac.synced()
    ;(visionOf(fac.doc).values().next().value!.get('body') as Y.Text).insert(0, '! ')
    await waitFor(() => (visionOf(s.bobBoard.doc).values().next().value!.get('body') as Y.Text).toString().startsWith('! '), 'the facilitator\'s edit')
    const raw2 = await alice(s)
    raw2.doc.clientID = fac.doc.clientID
    await refused(s, (d) => personText(mine(d, s.alice.participantId), 'purpose')!.insert(0, 'as the facilitator'), FORBIDDEN, { raw: raw2 })
  })

  it('forbidden content carried in a sync step 2 instead of an update', async () => {
    const s = await newScene(server, t)
    await refused(s, (d) => personText(mine(d, s.bob.participantId), 'checkin')!.insert(0, 'step2'), FORBIDDEN, { sub: 1 })
  })

  it('an update with missing dependencies (a clock gap) closes with 4409 and is not kept', async () => {
    const s = await newScene(server, t)
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    const raw = await alice(s)
    const purpose = (d: Y.Doc) => personText(mine(d, s.alice.participantId), 'purpose')!
    raw.capture((d) => purpose(d).insert(0, 'first '))
    const second = raw.capture((d) => purpose(d).insert(6, 'second'))
    raw.sendUpdate(second)
    expect(await raw.closeCode()).toBe(MISSING_DEPS)
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    await stillServes(s)
    // Built on an item the server never saw (another replica's): an unknown origin.
    const before2 = await digest(s, s.code, s.ws.facilitatorToken, t)
    const other = await alice(s)
    const ghost = new Y.Doc()
    Y.applyUpdate(ghost, Y.encodeStateAsUpdate(other.doc))
    personText(mine(ghost, s.alice.participantId), 'purpose')!.insert(0, 'ghost')
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(ghost, Y.encodeStateVector(other.doc)), 'server')
    const onGhost = other.capture((d) => purpose(d).insert(5, ' child'))
    other.sendUpdate(onGhost)
    expect(await other.closeCode()).toBe(MISSING_DEPS)
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before2)
    await stillServes(s)
  })
})
