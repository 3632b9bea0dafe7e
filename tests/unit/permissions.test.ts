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
