// Awareness bound to identity (SPEC §5): a connection sets awareness only for its own client id and
// only as itself, and small. Spoofed and oversized states are dropped: the others never see them.
// Every attack ends with a marker state of the attacker's own, which the room relays in order:
// once the observer has the marker, it has had every chance to see what came before.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor, type TestServer } from '../support/server.js'
import { awarenessFrame, awarenessUpdate, type RawYjs } from '../support/raw.js'
import { Tracker, bootServer, digest, newScene, stillServes, type Scene } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

type State = { user?: { participantId?: string | null; name?: string; color?: string }; cursor?: { x: number; y: number } | null }

/** Every awareness state the facilitator's and Bob's stock clients were ever shown, by client id. */
function watch(s: Scene) {
  const seen: { client: number; state: State | null }[] = []
  for (const c of [s.facBoard, s.bobBoard]) {
    c.provider.awareness.on('change', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      for (const id of [...added, ...updated]) seen.push({ client: id, state: (c.provider.awareness.getStates().get(id) as State) ?? null })
      for (const id of removed) seen.push({ client: id, state: null })
    })
  }
  return seen
}

let markers = 0
/** Alice's own, honest awareness with a fresh marker; resolves once both observers have it. */
async function barrier(s: Scene, raw: RawYjs, clock: number): Promise<void> {
  const marker = ++markers
  raw.send(awarenessFrame(awarenessUpdate([{ clientId: raw.doc.clientID, clock, state: { user: { participantId: s.alice.participantId, name: 'Alice', color: '#e4572e' }, cursor: { x: marker, y: -1 } } }])))
  for (const c of [s.facBoard, s.bobBoard]) {
    await waitFor(() => (c.provider.awareness.getStates().get(raw.doc.clientID) as State | undefined)?.cursor?.x === marker, 'the marker state')
  }
}

const bobState = (s: Scene) => s.facBoard.provider.awareness.getStates().get(s.bobBoard.doc.clientID) as State | undefined

async function sceneWithBobPresent() {
  const s = await newScene(server, t)
  s.bobBoard.provider.awareness.setLocalState({ user: { participantId: s.bob.participantId, name: 'Bob', color: '#17bebb' }, cursor: { x: 5, y: 5 } })
  await waitFor(() => bobState(s)?.user?.name === 'Bob', 'bob\'s presence at the facilitator')
  return s
}

describe('awareness', () => {
  it('awareness for another client id, first and after claiming one\'s own', async () => {
    const s = await sceneWithBobPresent()
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    const seen = watch(s)
    const bob = s.bobBoard.doc.clientID
    const fake = { user: { participantId: s.alice.participantId, name: 'Alice as Bob\'s cursor', color: '#000000' } }
    // As its very first awareness: Bob's client id is his connection's.
    const raw = await t.rawSynced(s, s.code, s.alice.participantToken)
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: bob, clock: 9999, state: fake }])))
    // Removing Bob's state (null) is a write to it too.
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: bob, clock: 10_000, state: null }])))
    await barrier(s, raw, 1)
    // After claiming its own: anything for another id, including the server's and a fresh one.
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: bob, clock: 10_001, state: fake }])))
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: 123456789, clock: 1, state: fake }])))
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: raw.doc.clientID, clock: 2, state: { user: { participantId: s.alice.participantId } } }, { clientId: bob, clock: 10_002, state: null }])))
    await barrier(s, raw, 3)
    expect(seen.filter((x) => x.client === bob)).toEqual([])
    expect(seen.some((x) => x.client === 123456789)).toBe(false)
    expect(bobState(s)).toMatchObject({ user: { name: 'Bob' }, cursor: { x: 5, y: 5 } })
    expect(raw.closeInfo()).toBeNull()
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    await stillServes(s)
  })

  it('awareness claiming another participant, or the facilitator', async () => {
    const s = await sceneWithBobPresent()
    const seen = watch(s)
    const raw = await t.rawSynced(s, s.code, s.alice.participantToken)
    const me = raw.doc.clientID
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: me, clock: 1, state: { user: { participantId: s.bob.participantId, name: 'Bob', color: '#17bebb' } } }])))
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: me, clock: 2, state: { user: { participantId: null, name: 'Facilitator', color: '#000000' } } }])))
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: me, clock: 3, state: '{"user":' } ])))
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: me, clock: 4, state: [1, 2, 3] }])))
    await barrier(s, raw, 5)
    const fromAlice = seen.filter((x) => x.client === me)
    expect(fromAlice.length).toBeGreaterThan(0)
    expect(fromAlice.every((x) => x.state?.user?.participantId === s.alice.participantId)).toBe(true)
    // The facilitator's own presence, as the facilitator, is fine.
    const facRaw = await t.rawSynced(s, s.code, s.ws.facilitatorToken)
    facRaw.send(awarenessFrame(awarenessUpdate([{ clientId: facRaw.doc.clientID, clock: 1, state: { user: { participantId: null, name: 'Facilitator', color: '#000000' } } }])))
    await waitFor(() => (s.bobBoard.provider.awareness.getStates().get(facRaw.doc.clientID) as State | undefined)?.user?.name === 'Facilitator', 'the facilitator\'s presence')
    await stillServes(s)
  })

  it('oversized awareness is dropped', async () => {
    const s = await sceneWithBobPresent()
    const seen = watch(s)
    const raw = await t.rawSynced(s, s.code, s.alice.participantToken)
    const me = raw.doc.clientID
    const user = { participantId: s.alice.participantId, name: 'Alice', color: '#e4572e' }
    await barrier(s, raw, 1)
    // A valid state padded past the 4 KiB limit with white space, and one with a huge name.
    const padded = (pad: number) => `{"user":${JSON.stringify(user)},${' '.repeat(pad)}"cursor":{"x":0.5,"y":0.5}}`
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: me, clock: 2, state: padded(8 * 1024) }])))
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: me, clock: 3, state: { user: { ...user, name: 'A'.repeat(64 * 1024) } } }])))
    raw.send(awarenessFrame(awarenessUpdate([{ clientId: me, clock: 4, state: { user, viewport: Array.from({ length: 2000 }, (_, i) => i) } }])))
    // Many states in one message: one connection, one client id.
    raw.send(awarenessFrame(awarenessUpdate(Array.from({ length: 1000 }, (_, i) => ({ clientId: 5_000_000 + i, clock: 1, state: { user } })))))
    await barrier(s, raw, 5)
    expect(seen.filter((x) => x.client === me).every((x) => JSON.stringify(x.state).length < 4096 && x.state?.cursor?.x !== 0.5)).toBe(true)
    expect(seen.some((x) => x.client >= 5_000_000 && x.client < 5_001_000)).toBe(false)
    expect(s.facBoard.provider.awareness.getStates().size).toBeLessThanOrEqual(4)
    await stillServes(s)
  })
})

describe('one presence per connection', () => {
  it('the first message may claim only one client id', async () => {
    const s = await sceneWithBobPresent()
    const seen = watch(s)
    const raw = await t.rawSynced(s, s.code, s.alice.participantToken)
    const user = { participantId: s.alice.participantId, name: 'Alice', color: '#e4572e' }
    const ghosts = [7_000_001, 7_000_002, 7_000_003]
    raw.send(awarenessFrame(awarenessUpdate([raw.doc.clientID, ...ghosts].map((clientId) => ({ clientId, clock: 1, state: { user } })))))
    await barrier(s, raw, 2)
    expect(seen.some((x) => ghosts.includes(x.client)), 'ghost presences reached the others').toBe(false)
    await stillServes(s)
  })
})
