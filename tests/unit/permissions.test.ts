import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { cardsOf, createPerson, createValue, createVisionItem, draftsOf, linksOf, peopleOf, personText, reactionsOf, storyOf, valuesOf, visionOf } from '../../shared/layout.js'
import type { RoomName } from '../../shared/protocol.js'
import { FACILITATOR_OWNER, SERVER_OWNER, type Identity, type WritePolicy } from '../../server/sync/identity.js'
import { checkUpdate, type CheckResult } from '../../server/sync/permissions.js'

const CODE = 'ABCDEF'
const ME = 'alice_0001'
const YOU = 'bobby_0002'
const VISION_ID = 'vision_001'
const FAC: Identity = { role: 'facilitator', code: CODE, participantId: null }
const as = (participantId: string): Identity => ({ role: 'participant', code: CODE, participantId })
const BOARD: RoomName = { kind: 'board', code: CODE }
const OPEN: WritePolicy = { locked: false, ended: false }

/** A room's document with its owners, as the room keeps them. */
class Room {
  readonly doc = new Y.Doc()
  readonly owners = new Map<number, string>([[this.doc.clientID, SERVER_OWNER]])
  constructor(readonly room: RoomName = BOARD) {}
  check(update: Uint8Array, who: Identity, policy: WritePolicy = OPEN): CheckResult {
    const before = Y.encodeStateAsUpdate(this.doc)
    const verdict = checkUpdate({ doc: this.doc, room: this.room, update, who, policy, owners: this.owners })
    expect(Y.encodeStateAsUpdate(this.doc)).toEqual(before) // the check never changes the document
    return verdict
  }
  /** Checks, and applies what is accepted, as the room does. */
  send(update: Uint8Array, who: Identity, policy: WritePolicy = OPEN): CheckResult {
    const verdict = this.check(update, who, policy)
    if (verdict.ok) {
      Y.applyUpdate(this.doc, update)
      for (const c of verdict.newClients) this.owners.set(c, who.role === 'facilitator' ? FACILITATOR_OWNER : who.participantId)
      expect(this.doc.store.pendingStructs).toBeNull()
      expect(this.doc.store.pendingDs).toBeNull()
    }
    return verdict
  }
}

function board(): Room {
  const r = new Room()
  r.doc.transact(() => {
    createVisionItem(r.doc, VISION_ID, 'Be kind', 'to everyone', { x: 0, y: 0 })
    createPerson(r.doc, ME)
    createPerson(r.doc, YOU)
  })
  return r
}

/** A client's replica of the room's document. */
function replica(r: Room): Y.Doc {
  const d = new Y.Doc()
  Y.applyUpdate(d, Y.encodeStateAsUpdate(r.doc))
  return d
}

/** What a client sends for one local change: the update of its transaction. */
function change(d: Y.Doc, fn: (d: Y.Doc) => void): Uint8Array {
  let out: Uint8Array | null = null
  const onUpdate = (u: Uint8Array) => (out = u)
  d.on('update', onUpdate)
  d.transact(() => fn(d))
  d.off('update', onUpdate)
  if (!out) throw new Error('no change')
  return out
}

const mine = (d: Y.Doc, id = ME) => peopleOf(d).get(id)!
const ok = (changes = true) => expect.objectContaining({ ok: true, changes })
const refused = (close: number) => expect.objectContaining({ ok: false, close })

describe('a participant on the board', () => {
  it('edits their own texts, values, links and reactions', () => {
    const r = board()
    const d = replica(r)
    const w = as(ME)
    expect(r.send(change(d, (d) => personText(mine(d), 'checkin')!.insert(0, 'hello')), w)).toEqual(ok())
    expect(r.send(change(d, (d) => personText(mine(d), 'purpose')!.insert(0, 'To help people grow')), w)).toEqual(ok())
    expect(r.send(change(d, (d) => personText(mine(d), 'purpose')!.delete(0, 3)), w)).toEqual(ok())
    expect(r.send(change(d, (d) => personText(mine(d), 'autonomy')!.insert(0, 'my hours')), w)).toEqual(ok())
    expect(r.send(change(d, (d) => valuesOf(mine(d))!.set('value_0001', createValue('誠実', 1, { x: 1, y: 2 }))), w)).toEqual(ok())
    expect(r.send(change(d, (d) => linksOf(mine(d))!.set('link_00001', { from: 'value_0001', to: VISION_ID, reason: 'because' })), w)).toEqual(ok())
    expect(r.send(change(d, (d) => linksOf(mine(d))!.set('link_00002', { from: 'purpose', to: VISION_ID, reason: '' })), w)).toEqual(ok())
    expect(r.send(change(d, (d) => reactionsOf(mine(d))!.set(YOU, 'inspiring')), w)).toEqual(ok())
    expect(r.send(change(d, (d) => (valuesOf(mine(d))!.get('value_0001')!.get('text') as Y.Text).insert(2, '!')), w)).toEqual(ok())
    expect(r.send(change(d, (d) => valuesOf(mine(d))!.delete('value_0001')), w)).toEqual(ok())
    expect(personText(mine(r.doc), 'purpose')!.toString()).toBe('help people grow')
    expect(reactionsOf(mine(r.doc))!.get(YOU)).toBe('inspiring')
    expect(valuesOf(mine(r.doc))!.size).toBe(0)
  })

  it('writes a map key again: an item with an origin and no parent of its own', () => {
    const r = board()
    const d = replica(r)
    r.send(change(d, (d) => valuesOf(mine(d))!.set('value_0001', createValue('a', 1, { x: 0, y: 0 }))), as(ME))
    const again = change(d, (d) => valuesOf(mine(d))!.get('value_0001')!.set('rank', 2))
    const [item] = Y.decodeUpdate(again).structs as Y.Item[]
    expect(item!.parent).toBeNull()
    expect(item!.origin).not.toBeNull()
    expect(r.send(again, as(ME))).toEqual(ok())
    // The same kind of write under someone else's entry is judged by where its origin sits.
    const e = replica(r)
    const theirs = change(e, (e) => reactionsOf(mine(e))!.set(YOU, 'cheering'))
    expect(r.check(theirs, as(YOU))).toEqual(refused(4403))
    expect(r.send(change(d, (d) => reactionsOf(mine(d))!.set(YOU, 'resonates')), as(ME))).toEqual(ok())
    const e2 = replica(r)
    expect(r.check(change(e2, (e) => reactionsOf(mine(e))!.set(YOU, 'cheering')), as(YOU))).toEqual(refused(4403))
  })

  it('may not write outside strictly below its own entry', () => {
    const r = board()
    const w = as(ME)
    const cases: [string, (d: Y.Doc) => void][] = [
      ["another's text", (d) => personText(mine(d, YOU), 'purpose')!.insert(0, 'x')],
      ["another's values", (d) => valuesOf(mine(d, YOU))!.set('value_0001', createValue('x', null, { x: 0, y: 0 }))],
      ['a vision item', (d) => (visionOf(d).get(VISION_ID)!.get('title') as Y.Text).insert(0, 'x')],
      ['a new vision item', (d) => createVisionItem(d, 'vision_002', 't', 'b', { x: 0, y: 0 })],
      ['a new root key', (d) => d.getMap('extra').set('k', 1)],
      ['a new people entry', (d) => createPerson(d, 'mallory_01')],
      ['its own entry replaced', (d) => createPerson(d, ME)],
      ['its own entry deleted', (d) => peopleOf(d).delete(ME)],
      ["another's entry deleted", (d) => peopleOf(d).delete(YOU)],
    ]
    for (const [name, fn] of cases) expect(r.check(change(replica(r), fn), w), name).toEqual(refused(4403))
    // Deleting another's value: the value exists first, written by its owner.
    const e = replica(r)
    r.send(change(e, (e) => valuesOf(mine(e, YOU))!.set('value_0002', createValue('y', 1, { x: 0, y: 0 }))), as(YOU))
    expect(r.check(change(replica(r), (d) => valuesOf(mine(d, YOU))!.delete('value_0002')), w)).toEqual(refused(4403))
    expect(r.check(change(replica(r), (d) => (valuesOf(mine(d, YOU))!.get('value_0002')!.get('text') as Y.Text).delete(0, 1)), w)).toEqual(refused(4403))
  })

  it('rejects an update that mixes allowed and forbidden parts, whole', () => {
    const r = board()
    const d = replica(r)
    const mixed = change(d, (d) => {
      personText(mine(d), 'purpose')!.insert(0, 'mine')
      personText(mine(d, YOU), 'purpose')!.insert(0, 'yours')
    })
    expect(r.send(mixed, as(ME))).toEqual(refused(4403))
    expect(personText(mine(r.doc), 'purpose')!.toString()).toBe('')
  })

  it('writes nothing while the board is locked or the workshop ended; the facilitator still can', () => {
    const r = board()
    const mineEdit = change(replica(r), (d) => personText(mine(d), 'checkin')!.insert(0, 'hi'))
    const facEdit = change(replica(r), (d) => (visionOf(d).get(VISION_ID)!.get('body') as Y.Text).insert(0, 'now '))
    for (const policy of [{ locked: true, ended: false }, { locked: false, ended: true }]) {
      expect(r.check(mineEdit, as(ME), policy)).toEqual(refused(4403))
      expect(r.check(facEdit, FAC, policy)).toEqual(ok())
    }
    // Resending what the server already holds is not a write.
    r.send(mineEdit, as(ME))
    expect(r.check(mineEdit, as(ME), { locked: true, ended: false })).toEqual(ok(false))
  })

  it('checks the layout below its entry', () => {
    const r = board()
    const w = as(ME)
    const values = (fn: (v: Y.Map<Y.Map<unknown>>) => void) => change(replica(r), (d) => fn(valuesOf(mine(d))!))
    const bad: [string, Uint8Array][] = [
      ['a string where a Y.Text belongs', change(replica(r), (d) => mine(d).set('purpose', 'plain'))],
      ['an unknown field', change(replica(r), (d) => mine(d).set('extra', new Y.Text('x')))],
      ['an XmlText where a Y.Text belongs', change(replica(r), (d) => mine(d).set('purpose', new Y.XmlText('x')))],
      ['an invalid value id', values((v) => v.set('short', createValue('x', 1, { x: 0, y: 0 })))],
      ['the id purpose', values((v) => v.set('purpose', createValue('x', 1, { x: 0, y: 0 })))],
      ['a rank of 4', values((v) => v.set('value_0001', createValue('x', 4 as 1, { x: 0, y: 0 })))],
      ['a non-finite pos', values((v) => v.set('value_0001', createValue('x', 1, { x: Infinity, y: 0 })))],
      ['a NaN pos', values((v) => v.set('value_0001', createValue('x', 1, { x: 0, y: NaN })))],
      ['a pos with extra keys', values((v) => v.set('value_0001', createValue('x', 1, { x: 0, y: 0, z: 1 } as { x: number; y: number })))],
      ['a value of plain data', values((v) => (v as Y.Map<unknown>).set('value_0001', { text: 'x' }))],
      ['a bad stamp', change(replica(r), (d) => (reactionsOf(mine(d)) as Y.Map<string>).set(YOU, 'meh'))],
      ['a stamp to oneself', change(replica(r), (d) => reactionsOf(mine(d))!.set(ME, 'cheering'))],
      ['a link with a long reason', change(replica(r), (d) => linksOf(mine(d))!.set('link_00001', { from: 'purpose', to: VISION_ID, reason: 'x'.repeat(201) }))],
      ['a link from nowhere', change(replica(r), (d) => linksOf(mine(d))!.set('link_00001', { from: 'x', to: VISION_ID, reason: '' }))],
      ['a link with extra keys', change(replica(r), (d) => (linksOf(mine(d)) as Y.Map<unknown>).set('link_00001', { from: 'purpose', to: VISION_ID, reason: '', x: 1 }))],
      ['formatting in a text', change(replica(r), (d) => personText(mine(d), 'purpose')!.insert(0, 'x', { bold: true }))],
      ['an embed in a text', change(replica(r), (d) => personText(mine(d), 'purpose')!.insertEmbed(0, { img: 1 }))],
      ['a subdocument', change(replica(r), (d) => (valuesOf(mine(d)) as Y.Map<unknown>).set('value_0001', new Y.Doc()))],
    ]
    for (const [name, u] of bad) expect(r.check(u, w), name).toEqual(refused(4403))
    // A key `__proto__` in plain data swaps the decoded object's prototype: not a position.
    const proto = JSON.parse('{"x":1,"y":2,"__proto__":{"z":3}}')
    expect(r.check(values((v) => v.set('value_0001', createValue('x', 1, proto))), w)).toEqual(refused(4403))
  })

  it('bounds text lengths in code points after trimming', () => {
    const r = board()
    const w = as(ME)
    const purpose = (s: string) => change(replica(r), (d) => personText(mine(d), 'purpose')!.insert(0, s))
    expect(r.check(purpose('x'.repeat(300)), w)).toEqual(ok())
    expect(r.check(purpose('x'.repeat(301)), w)).toEqual(refused(4403))
    expect(r.check(purpose('あ'.repeat(300)), w)).toEqual(ok())
    expect(r.check(purpose('😀'.repeat(300)), w)).toEqual(ok()) // 600 UTF-16 units, 300 code points
    expect(r.check(purpose('😀'.repeat(301)), w)).toEqual(refused(4403))
    expect(r.check(purpose(`  ${'x'.repeat(300)}\n\u3000 `), w)).toEqual(ok()) // white space at the ends does not count
    expect(r.check(purpose(`x ${'x'.repeat(299)}`), w)).toEqual(refused(4403)) // inside it does
    expect(r.check(purpose(`${'x'.repeat(300)}${' '.repeat(2000)}`), w)).toEqual(refused(4403)) // padding is bounded
    const value = (s: string) => change(replica(r), (d) => valuesOf(mine(d))!.set('value_0001', createValue(s, 1, { x: 0, y: 0 })))
    expect(r.check(value('誠実で'.repeat(20)), w)).toEqual(ok())
    expect(r.check(value(`${'誠実で'.repeat(20)}あ`), w)).toEqual(refused(4403))
    // Growing a text step by step: the existing text counts, and deletions make room.
    const d = replica(r)
    expect(r.send(change(d, (d) => personText(mine(d), 'checkin')!.insert(0, '🌸'.repeat(40))), w)).toEqual(ok())
    expect(r.check(change(replica(r), (d) => personText(mine(d), 'checkin')!.insert(0, 'x')), w)).toEqual(refused(4403))
    expect(r.send(change(d, (d) => { const t = personText(mine(d), 'checkin')!; t.delete(0, 2); t.insert(0, 'y') }), w)).toEqual(ok())
    expect(r.check(change(replica(r), (d) => personText(mine(d), 'checkin')!.insert(0, 'y ')), w)).toEqual(refused(4403))
    // The server's replica of the trailing-space case stays within the limit after applying.
    const e = replica(r)
    expect(r.send(change(e, (e) => { const t = personText(mine(e), 'checkin')!; t.insert(t.length, ' ') }), w)).toEqual(ok())
    expect(personText(mine(r.doc), 'checkin')!.toString()).toMatch(/ $/)
  })

  it('bounds the number of values and links', () => {
    const r = board()
    const d = replica(r)
    const w = as(ME)
    for (let i = 0; i < 10; i++) expect(r.send(change(d, (d) => valuesOf(mine(d))!.set(`value_000${i}`, createValue(`v${i}`, null, { x: i, y: 0 }))), w)).toEqual(ok())
    expect(r.check(change(replica(r), (d) => valuesOf(mine(d))!.set('value_0010', createValue('v', null, { x: 0, y: 0 }))), w)).toEqual(refused(4403))
    // Replacing one value keeps the count; deleting one makes room.
    expect(r.check(change(replica(r), (d) => valuesOf(mine(d))!.set('value_0003', createValue('new', 1, { x: 0, y: 0 }))), w)).toEqual(ok())
    expect(r.check(change(replica(r), (d) => { valuesOf(mine(d))!.delete('value_0001'); valuesOf(mine(d))!.set('value_0010', createValue('v', null, { x: 0, y: 0 })) }), w)).toEqual(ok())
    for (let i = 0; i < 20; i++) expect(r.send(change(d, (d) => linksOf(mine(d))!.set(`link_${String(i).padStart(5, '0')}`, { from: 'purpose', to: VISION_ID, reason: '' })), w)).toEqual(ok())
    expect(r.check(change(replica(r), (d) => linksOf(mine(d))!.set('link_99999', { from: 'purpose', to: VISION_ID, reason: '' })), w)).toEqual(refused(4403))
  })
})

describe('the facilitator', () => {
  it('edits the vision within its layout, and may write people entries', () => {
    const r = board()
    const d = replica(r)
    expect(r.send(change(d, (d) => (visionOf(d).get(VISION_ID)!.get('title') as Y.Text).insert(0, 'Always ')), FAC)).toEqual(ok())
    expect(r.send(change(d, (d) => createVisionItem(d, 'vision_002', 'Grow', '', { x: 10, y: 10 })), FAC)).toEqual(ok())
    expect(r.send(change(d, (d) => visionOf(d).get(VISION_ID)!.set('pos', { x: 5, y: 6 })), FAC)).toEqual(ok())
    expect(r.send(change(d, (d) => createPerson(d, 'carol_0003')), FAC)).toEqual(ok())
    expect(r.send(change(d, (d) => personText(mine(d, YOU), 'purpose')!.insert(0, 'edited')), FAC)).toEqual(ok())
    expect(r.send(change(d, (d) => visionOf(d).delete('vision_002')), FAC)).toEqual(ok())
    expect(r.check(change(replica(r), (d) => createVisionItem(d, 'vision_003', 'x'.repeat(121), '', { x: 0, y: 0 })), FAC)).toEqual(refused(4403))
    expect(r.check(change(replica(r), (d) => visionOf(d).get(VISION_ID)!.set('pos', { x: -Infinity, y: 0 })), FAC)).toEqual(refused(4403))
    expect(r.check(change(replica(r), (d) => visionOf(d).get(VISION_ID)!.set('title', 'plain')), FAC)).toEqual(refused(4403))
    expect(r.check(change(replica(r), (d) => d.getMap('extra').set('k', 1)), FAC)).toEqual(refused(4403))
    expect(r.send(change(d, (d) => peopleOf(d).delete(YOU)), FAC)).toEqual(ok())
  })

  it('may not write a notebook, nor may another participant', () => {
    const r = new Room({ kind: 'notebook', code: CODE, participantId: ME })
    const u = change(replica(r), (d) => cardsOf(d).set('fun', 'very'))
    expect(r.check(u, FAC)).toEqual(refused(4403))
    expect(r.check(u, as(YOU))).toEqual(refused(4403))
    expect(r.check(u, as(ME))).toEqual(ok())
  })
})

describe('what changes nothing is not a violation', () => {
  it('accepts an honest client that syncs stale state after others deleted things', () => {
    const r = board()
    const stale = replica(r)
    const e = replica(r)
    r.send(change(e, (e) => valuesOf(mine(e, YOU))!.set('value_0002', createValue('y', 1, { x: 0, y: 0 }))), as(YOU))
    Y.applyUpdate(stale, Y.encodeStateAsUpdate(r.doc))
    r.send(change(replica(r), (d) => visionOf(d).delete(VISION_ID)), FAC)
    r.send(change(e, (e) => valuesOf(mine(e, YOU))!.delete('value_0002')), as(YOU))
    // The stale replica still holds (and sends) what others wrote and deleted since.
    expect(r.check(Y.encodeStateAsUpdate(stale), as(ME), { locked: true, ended: false })).toEqual(ok(false))
    // Its own offline edit on top is new, and judged alone.
    const edit = change(stale, (d) => personText(mine(d), 'purpose')!.insert(0, 'offline'))
    expect(r.send(Y.mergeUpdates([Y.encodeStateAsUpdate(stale, Y.encodeStateVector(r.doc)), edit]), as(ME))).toEqual(ok())
    // Deleting what is already deleted, anywhere, changes nothing.
    const late = replica(r)
    Y.applyUpdate(late, Y.encodeStateAsUpdate(r.doc))
    expect(r.check(Y.encodeStateAsUpdate(late), as(ME))).toEqual(ok(false))
    expect(r.check(new Uint8Array([0, 0]), as(ME))).toEqual(ok(false)) // an empty update
  })

  it('judges a partly held struct by where it lands', () => {
    const r = board()
    const d = replica(r)
    const first = change(d, (d) => personText(mine(d), 'purpose')!.insert(0, 'abc'))
    change(d, (d) => personText(mine(d), 'purpose')!.insert(3, 'def'))
    r.send(first, as(ME))
    // The client merged both inserts into one item; its state holds a struct the room half has.
    const both = Y.encodeStateAsUpdate(d, Y.encodeStateVector(replica(new Room())))
    const structs = Y.decodeUpdate(both).structs.filter((s) => s.id.client === d.clientID)
    expect(structs.some((s) => s.id.clock < 3 && s.id.clock + s.length > 3)).toBe(true)
    expect(r.send(both, as(ME))).toEqual(ok())
    expect(personText(mine(r.doc), 'purpose')!.toString()).toBe('abcdef')
    // A struct whose held part sits in one text but which claims another: Yjs would link the new
    // part into the first text's list under the second's parent.
    const checkin = (mine(r.doc).get('checkin') as Y.Text)._item!.id
    const forged = craft([{ client: d.clientID, clock: 3, structs: [item(d.clientID, 3, { parent: checkin }, new Y.ContentString('defghi'))] }])
    expect(r.check(forged, as(ME))).toEqual(refused(4409))
  })
})

describe('dependencies and malformed input', () => {
  it('refuses a clock gap or an unknown origin with 4409', () => {
    const r = board()
    const d = replica(r)
    const w = as(ME)
    const one = change(d, (d) => personText(mine(d), 'purpose')!.insert(0, 'a'))
    const two = change(d, (d) => personText(mine(d), 'purpose')!.insert(1, 'b'))
    expect(r.check(two, w)).toEqual(refused(4409)) // `one` never arrived
    const e = replica(r)
    Y.applyUpdate(e, one)
    const onOther = change(e, (e) => personText(mine(e), 'purpose')!.insert(1, 'c')) // origin: d's item
    expect(r.check(onOther, w)).toEqual(refused(4409))
    r.send(one, w)
    expect(r.send(two, w)).toEqual(ok())
  })

  it('answers 4400 to garbage and truncated updates, and never throws', () => {
    const r = board()
    const good = change(replica(r), (d) => valuesOf(mine(d))!.set('value_0001', createValue('abc', 1, { x: 0, y: 0 })))
    expect(r.check(good, as(ME))).toEqual(ok())
    for (let n = 0; n < good.length; n++) expect(r.check(good.subarray(0, n), as(ME)), `first ${n} bytes`).toEqual(refused(4400))
    expect(r.check(new Uint8Array([]), as(ME))).toEqual(refused(4400))
    expect(r.check(new Uint8Array([1, 1, 5, 0, 200]), as(ME))).toEqual(refused(4400))
    let seed = 7
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256
    for (let i = 0; i < 500; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 64) }, rand)
      const v = r.check(bytes, i % 2 ? as(ME) : FAC)
      if (!v.ok) expect([4400, 4403, 4409]).toContain(v.close)
    }
  })
})

/** An update written struct by struct, as no honest client would. */
function craft(sections: { client: number; clock: number; structs: (Y.Item | Y.GC)[] }[], ds: [number, number, number][] = []): Uint8Array {
  const enc = new Y.UpdateEncoderV1()
  encoding.writeVarUint(enc.restEncoder, sections.length)
  for (const s of sections) {
    encoding.writeVarUint(enc.restEncoder, s.structs.length)
    enc.writeClient(s.client)
    encoding.writeVarUint(enc.restEncoder, s.clock)
    for (const st of s.structs) st.write(enc, 0)
  }
  const clients = [...new Set(ds.map((r) => r[0]))]
  encoding.writeVarUint(enc.restEncoder, clients.length)
  for (const c of clients) {
    const ranges = ds.filter((r) => r[0] === c)
    encoding.writeVarUint(enc.restEncoder, c)
    encoding.writeVarUint(enc.restEncoder, ranges.length)
    for (const [, clock, len] of ranges) {
      enc.writeDsClock(clock)
      enc.writeDsLen(len)
    }
  }
  return enc.toUint8Array()
}

type Where = { origin?: Y.ID; right?: Y.ID; parent?: string | Y.ID; sub?: string }
const item = (client: number, clock: number, where: Where, content: ConstructorParameters<typeof Y.Item>[7] = new Y.ContentString('x')) =>
  new Y.Item(Y.createID(client, clock), null, where.origin ?? null, null, where.right ?? null, (where.parent ?? null) as never, where.sub ?? null, content)

describe('crafted updates', () => {
  const r = board()
  const purposeId = (mine(r.doc).get('purpose') as Y.Text)._item!.id
  const C = 424242
  const inPurpose: Where = { parent: purposeId }

  it('accepts a crafted write where the writer may write, and binds its client id', () => {
    const v = r.check(craft([{ client: C, clock: 0, structs: [item(C, 0, inPurpose), item(C, 1, { origin: Y.createID(C, 0) })] }]), as(ME))
    expect(v).toEqual({ ok: true, changes: true, newClients: [C], asSent: true })
  })

  it('refuses cycles, self references, empty structs, repeated clients and skips', () => {
    const D = 515151
    const cycle = craft([
      { client: C, clock: 0, structs: [item(C, 0, { origin: Y.createID(D, 0) })] },
      { client: D, clock: 0, structs: [item(D, 0, { origin: Y.createID(C, 0) })] },
    ])
    expect(r.check(cycle, as(ME))).toEqual(refused(4409))
    expect(r.check(craft([{ client: C, clock: 0, structs: [item(C, 0, { origin: Y.createID(C, 0) })] }]), as(ME))).toEqual(refused(4409))
    expect(r.check(craft([{ client: C, clock: 0, structs: [item(C, 0, { origin: Y.createID(C, 5) })] }]), as(ME))).toEqual(refused(4409))
    expect(r.check(craft([{ client: C, clock: 0, structs: [item(C, 0, inPurpose, new Y.ContentString(''))] }]), as(ME))).toEqual(refused(4400))
    const twice = craft([
      { client: C, clock: 0, structs: [item(C, 0, inPurpose)] },
      { client: D, clock: 0, structs: [item(D, 0, inPurpose)] },
      { client: C, clock: 1, structs: [item(C, 1, inPurpose)] },
    ])
    expect(r.check(twice, as(ME))).toEqual(refused(4400))
    const skip = new Y.Skip(Y.createID(C, 0), 3)
    const withSkip = new Y.UpdateEncoderV1()
    encoding.writeVarUint(withSkip.restEncoder, 1)
    encoding.writeVarUint(withSkip.restEncoder, 2)
    withSkip.writeClient(C)
    encoding.writeVarUint(withSkip.restEncoder, 0)
    skip.write(withSkip, 0)
    item(C, 3, inPurpose).write(withSkip, 0)
    encoding.writeVarUint(withSkip.restEncoder, 0)
    expect(r.check(withSkip.toUint8Array(), as(ME))).toEqual(refused(4409))
  })

  it('refuses a held struct resent with an origin the document lacks (Yjs would keep it pending)', () => {
    const server = r.doc.clientID
    const held = craft([{ client: server, clock: 0, structs: [item(server, 0, { origin: Y.createID(777, 0) })] }])
    expect(r.check(held, FAC)).toEqual(refused(4409))
    const honest = craft([{ client: server, clock: 0, structs: [item(server, 0, { parent: 'vision', sub: 'x' })] }])
    expect(r.check(honest, FAC)).toEqual(ok(false))
  })

  it('judges items with an absent parent by their origin, and garbage as nothing', () => {
    const yours = (mine(r.doc, YOU).get('purpose') as Y.Text)._item!.id
    const theirsByParent = craft([{ client: C, clock: 0, structs: [item(C, 0, { parent: yours })] }])
    expect(r.check(theirsByParent, as(ME))).toEqual(refused(4403))
    // rightOrigin only: the neighbour's parent counts.
    const serverItem = (peopleOf(r.doc)._map.get(YOU)!)
    expect(r.check(craft([{ client: C, clock: 0, structs: [item(C, 0, { right: serverItem.id })] }]), as(ME))).toEqual(refused(4403))
    // A parent that is not a type turns the item into garbage, which writes nothing.
    const notAType = craft([{ client: C, clock: 0, structs: [new Y.GC(Y.createID(C, 0), 2), item(C, 2, { parent: Y.createID(C, 0) })] }])
    expect(r.check(notAType, as(ME))).toEqual(ok())
    // The same item with a real type as its parent writes there, and is judged.
    const vision = visionOf(r.doc).get(VISION_ID)!._item!.id
    expect(r.check(craft([{ client: C, clock: 0, structs: [item(C, 0, { parent: vision, sub: 'title' })] }]), as(ME))).toEqual(refused(4403))
  })

  it('refuses a client id another identity wrote with', () => {
    const o = board()
    const d = replica(o)
    o.send(change(d, (d) => personText(mine(d), 'purpose')!.insert(0, 'a')), as(ME))
    const forged = change(d, (d) => personText(mine(d, YOU), 'purpose')!.insert(0, 'b'))
    expect(o.check(forged, as(YOU))).toEqual(refused(4403)) // YOU using ME's client id, even in YOU's own place
    // The server's own client id is no one else's either.
    const e = replica(o)
    o.owners.set(e.clientID, SERVER_OWNER)
    expect(o.check(change(e, (e) => personText(mine(e), 'purpose')!.insert(0, 'c')), as(ME))).toEqual(refused(4403))
    o.owners.delete(e.clientID)
    expect(o.check(change(replica(o), (e) => personText(mine(e), 'purpose')!.insert(0, 'c')), as(ME))).toEqual(ok())
  })

  it('resolves deletions to the items the document holds, quickly, whatever range is claimed', () => {
    const o = board()
    const G = 99
    // A participant may claim a huge clock range for their own client with garbage…
    expect(o.send(craft([{ client: G, clock: 0, structs: [new Y.GC(Y.createID(G, 0), 2 ** 31)] }]), as(ME))).toEqual(ok())
    const t0 = performance.now()
    // …and deleting across it visits one struct, not 2^31 clocks.
    expect(o.check(craft([], [[G, 0, 2 ** 31]]), as(ME))).toEqual(ok(false))
    const server = o.doc.clientID
    expect(o.check(craft([], [[server, 0, 2 ** 31]]), FAC)).toEqual(refused(4409)) // beyond what the document has
    expect(o.check(craft([], [[server, 0, Y.getState(o.doc.store, server)]]), as(ME))).toEqual(refused(4403))
    expect(o.check(craft([], [[server, 0, Y.getState(o.doc.store, server)]]), FAC)).toEqual(ok())
    expect(o.check(craft([], [[12345, 0, 1]]), FAC)).toEqual(refused(4409)) // would be kept pending
    expect(performance.now() - t0).toBeLessThan(200)
  })
})

describe('a notebook', () => {
  const NB: RoomName = { kind: 'notebook', code: CODE, participantId: ME }

  it('takes its owner’s story, cards and drafts in the layout', () => {
    const r = new Room(NB)
    const d = replica(r)
    const w = as(ME)
    const moment = (fields: Record<string, unknown>) => {
      const m = new Y.Map<unknown>()
      for (const [k, v] of Object.entries(fields)) m.set(k, v)
      return m
    }
    const good = () => moment({ id: 'moment_001', when: '2010', text: new Y.Text('first job'), level: 3 })
    expect(r.send(change(d, (d) => storyOf(d).push([good()])), w)).toEqual(ok())
    expect(r.send(change(d, (d) => storyOf(d).get(0).set('level', -5)), w)).toEqual(ok())
    expect(r.send(change(d, (d) => cardsOf(d).set('fun', 'very')), w)).toEqual(ok())
    expect(r.send(change(d, (d) => { draftsOf(d).set('custom-abcdefgh1234', new Y.Text('Kindness')); cardsOf(d).set('custom-abcdefgh1234', 'important') }), w)).toEqual(ok())
    expect(r.send(change(d, (d) => draftsOf(d).set('note-checkin', new Y.Text('x'.repeat(1000)))), w)).toEqual(ok())
    expect(r.send(change(d, (d) => cardsOf(d).delete('fun')), w)).toEqual(ok())
    const bad: [string, (d: Y.Doc) => void][] = [
      ['a level of 6', (d) => storyOf(d).get(0).set('level', 6)],
      ['a level of 1.5', (d) => storyOf(d).get(0).set('level', 1.5)],
      ['a long when', (d) => storyOf(d).get(0).set('when', 'x'.repeat(21))],
      ['a long story text', (d) => storyOf(d).push([moment({ id: 'moment_002', text: new Y.Text('x'.repeat(301)) })])],
      ['a plain story entry', (d) => (storyOf(d) as Y.Array<unknown>).push(['x'])],
      ['a bad pile', (d) => (cardsOf(d) as Y.Map<string>).set('fun', 'maybe')],
      ['an unknown card', (d) => cardsOf(d).set('nope', 'very')],
      ['a long draft', (d) => draftsOf(d).set('note-commitment', new Y.Text('x'.repeat(1001)))],
      ['a plain draft', (d) => (draftsOf(d) as Y.Map<unknown>).set('note-commitment', 'x')],
      ['another root', (d) => d.getMap('secrets').set('k', 'v')],
    ]
    for (const [name, fn] of bad) expect(r.check(change(replica(r), fn), w), name).toEqual(refused(4403))
    for (let i = 1; i < 30; i++) r.send(change(d, (d) => storyOf(d).push([moment({ id: `moment_${String(i).padStart(3, '0')}` })])), w)
    expect(storyOf(r.doc).length).toBe(30)
    expect(r.check(change(replica(r), (d) => storyOf(d).push([moment({ id: 'moment_999' })])), w)).toEqual(refused(4403))
    expect(r.check(change(replica(r), (d) => { storyOf(d).delete(0, 1); storyOf(d).push([moment({ id: 'moment_999' })]) }), w)).toEqual(ok())
  })
})
