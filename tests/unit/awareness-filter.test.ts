import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Identity } from '../../server/sync/identity.js'
import { filterAwareness } from '../../server/sync/awareness-filter.js'

const ME: Identity = { role: 'participant', code: 'ABCDEF', participantId: 'alice_0001' }
const FAC: Identity = { role: 'facilitator', code: 'ABCDEF', participantId: null }
const user = (participantId: string | null, name = 'Alice') => ({ participantId, name, color: '#aa3366' })
const nobody = () => false

/** A client's awareness with a state, and the update its provider would send. */
function client(state: Record<string, unknown> | null): { awareness: Awareness; update: Uint8Array } {
  const awareness = new Awareness(new Y.Doc())
  awareness.setLocalState(state)
  return { awareness, update: encodeAwarenessUpdate(awareness, [awareness.clientID]) }
}

/** An awareness update written entry by entry, JSON as given. */
function raw(entries: [number, number, string][]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const [id, clock, json] of entries) {
    encoding.writeVarUint(e, id)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, json)
  }
  return encoding.toUint8Array(e)
}

describe('awareness a connection may set', () => {
  it('takes a participant’s own state, claims its client id, and relays it unchanged', () => {
    const state = { user: user(ME.participantId), cursor: { x: 1, y: 2 }, viewport: { x: 0, y: 0, zoom: 1.5 }, drag: { key: 'value_0001', x: 3, y: 4 } }
    const { awareness, update } = client(state)
    const out = filterAwareness(update, ME, new Set(), nobody)
    expect(out?.clientIds).toEqual([awareness.clientID])
    const server = new Awareness(new Y.Doc())
    applyAwarenessUpdate(server, out!.update, 'test')
    expect(server.getStates().get(awareness.clientID)).toEqual(state)
    expect(filterAwareness(client({ user: user(null, 'Facilitator'), cursor: null }).update, FAC, new Set(), nobody)).not.toBeNull()
  })

  it('relays a message that is wholly kept as the very bytes received, and rewrites one that is not', () => {
    const { update } = client({ user: user(ME.participantId), cursor: { x: 5, y: 6 } })
    expect(filterAwareness(update, ME, new Set(), nobody)?.update).toBe(update)
    // Trailing bytes, a removal spelled otherwise, an entry dropped: written anew, without them.
    const trailing = new Uint8Array([...update, 0, 0])
    expect(filterAwareness(trailing, ME, new Set(), nobody)?.update).toEqual(update)
    expect(filterAwareness(raw([[7, 3, ' null ']]), ME, new Set([7]), nobody)?.update).toEqual(raw([[7, 3, 'null']]))
    const mixed = raw([
      [7, 4, JSON.stringify({ user: user(ME.participantId) })],
      [8, 1, JSON.stringify({ user: user(ME.participantId) })],
    ])
    expect(filterAwareness(mixed, ME, new Set([7]), nobody)?.update).toEqual(raw([[7, 4, JSON.stringify({ user: user(ME.participantId) })]]))
  })

  it('drops a state that claims another identity', () => {
    expect(filterAwareness(client({ user: user('bobby_0002') }).update, ME, new Set(), nobody)).toBeNull()
    expect(filterAwareness(client({ user: user(null) }).update, ME, new Set(), nobody)).toBeNull()
    expect(filterAwareness(client({ user: user(ME.participantId) }).update, FAC, new Set(), nobody)).toBeNull()
  })

  it('keeps only the entries of the client id the connection owns', () => {
    const mine = client({ user: user(ME.participantId) })
    const other = client({ user: user(ME.participantId, 'Alice on her phone') })
    // A stock provider rebroadcasts states it received: the message holds someone else's id too.
    const both = encodeAwarenessUpdate(mine.awareness, [mine.awareness.clientID])
    const relayed = filterAwareness(concat(both, other.awareness), ME, new Set([mine.awareness.clientID]), nobody)
    expect(relayed?.clientIds).toEqual([mine.awareness.clientID])
    // Once a connection owns an id, it cannot claim a second one…
    expect(filterAwareness(other.update, ME, new Set([mine.awareness.clientID]), nobody)).toBeNull()
    // …and an id another connection or identity holds is not claimable at all.
    expect(filterAwareness(mine.update, ME, new Set(), (id) => id === mine.awareness.clientID)).toBeNull()
    // Two unclaimed ids in one message: only the first becomes the connection's.
    const two = raw([
      [11, 1, JSON.stringify({ user: user(ME.participantId) })],
      [12, 1, JSON.stringify({ user: user(ME.participantId) })],
      [11, 2, JSON.stringify({ user: user(ME.participantId), cursor: { x: 0, y: 0 } })],
    ])
    expect(filterAwareness(two, ME, new Set(), nobody)?.clientIds).toEqual([11])
  })

  it('claims the first valid state, not the empty one a provider starts with', () => {
    const { awareness, update } = client({})
    expect(filterAwareness(update, ME, new Set(), nobody)).toBeNull()
    awareness.setLocalStateField('user', user(ME.participantId))
    const out = filterAwareness(encodeAwarenessUpdate(awareness, [awareness.clientID]), ME, new Set(), nobody)
    expect(out?.clientIds).toEqual([awareness.clientID])
  })

  it('passes a removal for its own id only', () => {
    const removal = raw([[7, 3, 'null']])
    expect(filterAwareness(removal, ME, new Set([7]), nobody)?.clientIds).toEqual([7])
    expect(filterAwareness(removal, ME, new Set([8]), nobody)).toBeNull()
    expect(filterAwareness(removal, ME, new Set(), nobody)).toBeNull()
  })

  it('drops what is not in the shape, too large or not JSON, and never throws', () => {
    const own = new Set([5])
    const bad: unknown[] = [
      { user: { ...user(ME.participantId), color: 'red' } },
      { user: user(ME.participantId, 'bad\u0007name') },
      { user: user(ME.participantId, 'x'.repeat(41)) },
      { user: { ...user(ME.participantId), admin: true } },
      { user: user(ME.participantId), cursor: { x: 'a', y: 1 } },
      { user: user(ME.participantId), viewport: { x: 1, y: 1 } },
      { user: user(ME.participantId), drag: { key: 'k', x: 1 } },
      { user: user(ME.participantId), extra: 1 },
      { cursor: { x: 1, y: 1 } },
      [1, 2],
      'text',
    ]
    for (const s of bad) expect(filterAwareness(raw([[5, 1, JSON.stringify(s)]]), ME, own, nobody), JSON.stringify(s)).toBeNull()
    const padded = JSON.stringify({ user: user(ME.participantId) }) + ' '.repeat(4096)
    expect(filterAwareness(raw([[5, 1, padded]]), ME, own, nobody)).toBeNull()
    expect(filterAwareness(raw([[5, 1, '{"user":']]), ME, own, nobody)).toBeNull()
    const good = raw([[5, 1, JSON.stringify({ user: user(ME.participantId) })]])
    expect(filterAwareness(good, ME, own, nobody)).not.toBeNull()
    for (let n = 0; n < good.length; n++) expect(filterAwareness(good.subarray(0, n), ME, own, nobody)).toBeNull()
    expect(filterAwareness(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), ME, own, nobody)).toBeNull()
  })
})

/** One message with `first`'s entries followed by `other`'s own state, as a rebroadcast carries. */
function concat(first: Uint8Array, other: Awareness): Uint8Array {
  const second = encodeAwarenessUpdate(other, [other.clientID])
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 2)
  encoding.writeUint8Array(e, first.subarray(1))
  encoding.writeUint8Array(e, second.subarray(1))
  return encoding.toUint8Array(e)
}
