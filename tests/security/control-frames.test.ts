// Broken and hostile engine.io / socket.io packets on the control plane: each one costs only the
// connection that sent it (or is ignored), the workshop state is unchanged, and everyone else is
// served.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor, type TestServer } from '../support/server.js'
import { rawSocketIo, type RawSocketIo } from '../support/raw.js'
import { Tracker, bootServer, newScene, stillServes, type Scene } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

/** A raw socket.io connection of `token`, connected to the main namespace. */
async function connected(token: string): Promise<RawSocketIo> {
  const io = t.add(rawSocketIo(server.url))
  io.connect({ token })
  await io.next((p) => p.startsWith('40'), 'connected')
  return io
}

/** Resolves when the connection is closed or its socket.io session ended, whichever comes first. */
async function ended(io: RawSocketIo, timeoutMs = 10_000): Promise<string> {
  await waitFor(() => io.closeInfo() !== null || io.packets.some((p) => p === '41' || p.startsWith('44') || p === '1'), 'the connection to end', timeoutMs)
  return io.closeInfo() ? `closed ${io.closeInfo()!.code}` : io.packets.find((p) => p === '41' || p.startsWith('44') || p === '1')!
}

describe('control-plane packets', () => {
  it('malformed socket.io packets end only that connection', async () => {
    const s: Scene = await newScene(server, t)
    const fac = t.control(s, s.ws.facilitatorToken)
    const before = await fac.until((x) => x.roster.length === 2, 'facilitator state')
    const cases: [string, string | Uint8Array][] = [
      ['an event that is not JSON', '42["ready:set",{'],
      ['an unknown socket.io packet type', '4x'],
      ['an unknown engine.io packet type', '9hello'],
      ['a binary event whose attachments never come', '451-["ready:set",{"_placeholder":true,"num":0}]'],
      ['a binary event announcing 2^31 attachments', '42147483647-["ready:set",{"_placeholder":true,"num":0}]'],
      ['an event name that is an object', '42[{"toString":1},{}]'],
      ['a raw binary frame', new Uint8Array([0, 1, 2, 3, 255])],
    ]
    const outcomes: Record<string, string> = {}
    for (const [what, packet] of cases) {
      const io = await connected(s.alice.participantToken)
      io.send(packet)
      // Either the server ends the connection, or it ignores the packet and still answers a valid command.
      const id = 77
      io.emit('ready:set', { ready: false }, id)
      outcomes[what] = await Promise.race([
        ended(io),
        io.ack(id).then((a) => `ignored, then ${JSON.stringify(a)}`),
      ])
    }
    console.info(`socket.io packets: ${JSON.stringify(outcomes)}`)
    for (const [what, outcome] of Object.entries(outcomes)) expect(outcome, what).toMatch(/^(closed|1$|41$|44|ignored, then \{"ok":true\})/)
    // Another namespace does not exist: refused with a CONNECT_ERROR, never a state.
    const other = t.add(rawSocketIo(server.url))
    other.send(`40/admin,${JSON.stringify({ token: s.ws.facilitatorToken })}`)
    expect(await other.next((p) => p.startsWith('44/admin,'), 'namespace refused')).toMatch(/Invalid namespace/)
    expect(other.packets.some((p) => p.startsWith('42'))).toBe(false)
    // Nothing changed for anyone, and commands still work.
    expect(await fac.send('phase:goto', { index: 1 })).toEqual({ ok: true })
    const after = fac.last()!
    expect({ ...after, phaseIndex: 0, timer: before.timer, serverTime: 0 }).toEqual({ ...before, serverTime: 0 })
    await stillServes(s)
  })
})
