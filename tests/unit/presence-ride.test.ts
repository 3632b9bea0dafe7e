// Presence waits for its timer, unless an edit is relayed first once the change has waited
// PRESENCE_MIN_MS: then it leaves with the edit (takeDue) and the timer does not send it again.
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { PRESENCE_MIN_MS } from '../../server/sync/pace.js'
import { Presence } from '../../server/sync/presence.js'

const EVERY_MS = 250

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }))
afterEach(() => vi.useRealTimers())

function setup() {
  const relayed: Uint8Array[] = []
  const published: Uint8Array[] = []
  const presence = new Presence(new Y.Doc(), (u) => relayed.push(u), (u) => published.push(u), () => EVERY_MS)
  const client = new awarenessProtocol.Awareness(new Y.Doc())
  const move = (x: number) => {
    client.setLocalState({ cursor: { x, y: 0 } })
    presence.apply(awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]), 'conn')
  }
  /** The cursor x each relayed update carries, read back through a fresh awareness. */
  const xOf = (update: Uint8Array) => {
    const reader = new awarenessProtocol.Awareness(new Y.Doc())
    awarenessProtocol.applyAwarenessUpdate(reader, update, null)
    return (reader.getStates().get(client.clientID) as { cursor: { x: number } }).cursor.x
  }
  const done = () => {
    presence.destroy()
    client.destroy()
  }
  return { presence, relayed, published, move, xOf, done }
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
  vi.advanceTimersByTime(PRESENCE_MIN_MS - 1)
  expect(presence.takeDue()).toBeNull()
  vi.advanceTimersByTime(EVERY_MS)
  expect(relayed).toHaveLength(1)
  done()
})

it('leaves with an edit once due, published once, and the timer sends nothing more', () => {
  const { presence, relayed, published, move, xOf, done } = setup()
  move(7)
  vi.advanceTimersByTime(PRESENCE_MIN_MS)
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
