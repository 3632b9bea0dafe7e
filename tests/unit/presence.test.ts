// A room's presence: y-protocols' rules for clocks, removals and stale states, read back by a stock
// Awareness; and its timing: it waits for its timer, unless an edit is relayed first once the
// change has waited half the interval (at least PRESENCE_MIN_MS): then it leaves with the edit
// (takeDue) and the timer does not send it again.
import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { PRESENCE_MIN_MS } from '../../server/sync/pace.js'
import { Presence, rideAfterMs } from '../../server/sync/presence.js'

const EVERY_MS = 250
const RIDE_MS = rideAfterMs(EVERY_MS)

/** Each client id of an awareness update with its state as sent (null: removed). */
function statesIn(update: Uint8Array): Map<number, unknown> {
  const d = decoding.createDecoder(update)
  const out = new Map<number, unknown>()
  for (let n = decoding.readVarUint(d); n > 0; n--) {
    const id = decoding.readVarUint(d)
    decoding.readVarUint(d)
    out.set(id, JSON.parse(decoding.readVarString(d)))
  }
  return out
}

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] }))
afterEach(() => vi.useRealTimers())

function setup(everyMs = EVERY_MS) {
  const relayed: Uint8Array[] = []
  const published: Uint8Array[] = []
  const presence = new Presence((u) => relayed.push(u), (u) => published.push(u), () => everyMs)
  const client = new awarenessProtocol.Awareness(new Y.Doc())
  const move = (x: number) => {
    client.setLocalState({ cursor: { x, y: 0 } })
    presence.apply(awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]))
  }
  /** A stock awareness that applies everything relayed, as a participant's browser does. */
  const reader = new awarenessProtocol.Awareness(new Y.Doc())
  const read = (update: Uint8Array) => awarenessProtocol.applyAwarenessUpdate(reader, update, null)
  const seen = () => reader.getStates().get(client.clientID) as { cursor: { x: number } } | undefined
  /** The cursor x each relayed update carries, read back through a fresh awareness. */
  const xOf = (update: Uint8Array) => {
    const fresh = new awarenessProtocol.Awareness(new Y.Doc())
    awarenessProtocol.applyAwarenessUpdate(fresh, update, null)
    return (fresh.getStates().get(client.clientID) as { cursor: { x: number } }).cursor.x
  }
  const done = () => {
    presence.destroy()
    for (const a of [client, reader]) a.destroy()
  }
  return { presence, relayed, published, client, move, read, seen, xOf, done }
}

it('relays on its timer when no edit comes', () => {
  const { presence, relayed, published, move, xOf, done } = setup()
  expect(presence.takeDue()).toBeNull()
  move(1)
  move(2)
  vi.advanceTimersByTime(EVERY_MS - 1)
  expect(relayed).toHaveLength(0)
  vi.advanceTimersByTime(1)
  expect(relayed.map(xOf)).toEqual([2])
  expect(published).toHaveLength(1)
  done()
})

it('is not taken by an edit before it has waited the minimum', () => {
  const { presence, relayed, move, done } = setup()
  move(1)
  vi.advanceTimersByTime(RIDE_MS - 1)
  expect(presence.takeDue()).toBeNull()
  vi.advanceTimersByTime(EVERY_MS)
  expect(relayed).toHaveLength(1)
  done()
})

it('leaves with an edit once due, published once, and the timer sends nothing more', () => {
  const { presence, relayed, published, move, xOf, done } = setup()
  move(7)
  vi.advanceTimersByTime(RIDE_MS)
  const taken = presence.takeDue()
  expect(taken && xOf(taken)).toBe(7)
  expect(published).toHaveLength(1)
  vi.advanceTimersByTime(EVERY_MS * 2)
  expect(relayed).toHaveLength(0)
  expect(presence.takeDue()).toBeNull()
  // The next change starts a new wait.
  move(8)
  vi.advanceTimersByTime(EVERY_MS)
  expect(relayed.map(xOf)).toEqual([8])
  done()
})

it('rides with edits after half the interval on a busy node, after PRESENCE_MIN_MS on a quiet one', () => {
  const idle = setup(80)
  idle.move(1)
  vi.advanceTimersByTime(PRESENCE_MIN_MS - 1)
  expect(idle.presence.takeDue()).toBeNull()
  vi.advanceTimersByTime(1)
  expect(idle.presence.takeDue()).not.toBeNull()
  idle.done()
  const busy = setup(500)
  busy.move(2)
  vi.advanceTimersByTime(249)
  expect(busy.presence.takeDue()).toBeNull()
  vi.advanceTimersByTime(1)
  const taken = busy.presence.takeDue()
  expect(taken && busy.xOf(taken)).toBe(2)
  busy.done()
})

it('keeps the newest clock, removes on null and on leaving, and a stock reader agrees', () => {
  const { presence, relayed, client, move, read, seen, done } = setup()
  move(1)
  const first = awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID])
  move(2)
  presence.apply(first) // older: ignored
  vi.advanceTimersByTime(EVERY_MS)
  relayed.forEach(read)
  expect(seen()?.cursor.x).toBe(2)
  expect(presence.all()).not.toBeNull()

  client.setLocalState(null)
  presence.apply(awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]))
  vi.advanceTimersByTime(EVERY_MS)
  relayed.forEach(read)
  expect(seen()).toBeUndefined()
  expect(presence.all()).toBeNull()

  // Back, then the connection closes: the removal's clock is newer than the reader's.
  move(3)
  vi.advanceTimersByTime(EVERY_MS)
  relayed.forEach(read)
  expect(seen()?.cursor.x).toBe(3)
  presence.remove([client.clientID])
  vi.advanceTimersByTime(EVERY_MS)
  relayed.forEach(read)
  expect(seen()).toBeUndefined()
  expect(presence.all()).toBeNull()
  done()
})

it('drops a state not renewed for 30 s, and relays what other nodes sent without publishing it back', () => {
  const { presence, relayed, published, client, move, read, seen, done } = setup()
  move(1)
  vi.advanceTimersByTime(EVERY_MS)
  relayed.forEach(read)
  expect(seen()).toBeDefined()
  vi.advanceTimersByTime(29_000)
  expect(presence.all()).not.toBeNull()
  vi.advanceTimersByTime(4_000)
  expect(presence.all()).toBeNull()
  vi.advanceTimersByTime(EVERY_MS)
  // The removal itself went out (the reader's own timeout does not run on the faked clock).
  const removal = relayed.at(-1)!
  relayed.forEach(read)
  expect(seen()).toBeUndefined()
  expect(statesIn(removal).get(client.clientID)).toBeNull()

  // The removal took the next clock; the client's next state has a newer one.
  const before = published.length
  client.setLocalState({ cursor: { x: 8, y: 0 } })
  client.setLocalState({ cursor: { x: 9, y: 0 } })
  presence.applyFromBus(awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]))
  vi.advanceTimersByTime(EVERY_MS)
  relayed.forEach(read)
  expect(seen()?.cursor.x).toBe(9)
  expect(published.length).toBe(before)
  done()
})
