// Who may connect to what (SPEC §2–§5): origins, tokens, other workshops, removed participants,
// notebooks, facilitator commands, the lock and the end. Each refusal is checked where a hostile
// client meets it (HTTP status on upgrade, close code, connect_error, ack), and each ends with
// the documents unchanged and the honest clients still working.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, draftsOf, peopleOf, personText, storyOf, visionOf } from '../../shared/layout.js'
import { connectControl, handshakeError } from '../support/control.js'
import { api, createWorkshop, joinWorkshop, waitFor, type TestServer } from '../support/server.js'
import { upgradeStatus } from '../support/yjs.js'
import { awarenessFrame, ownAwareness, rawSocketIo } from '../support/raw.js'
import { Tracker, bootServer, digest, newScene, personField, sqlite, stillServes, type Scene } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

const yjsUrl = (room: string, token?: string) => `${server.wsUrl}/yjs/${room}${token === undefined ? '' : `?token=${token}`}`
const notebook = (s: Scene, pid: string) => `${s.code}/notebook/${pid}`
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const storedRows = (doc: string) =>
  sqlite(server, (db) => (db.prepare('SELECT (SELECT count(*) FROM doc_updates WHERE doc = ?) + (SELECT count(*) FROM doc_snapshots WHERE doc = ?) AS n').get(doc, doc) as { n: number }).n)

describe('handshakes', () => {
  it('a foreign Origin on the WebSocket and on socket.io', async () => {
    const s = await newScene(server, t)
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1.evil.example:${server.port}`, 'not a url']) {
      expect(await upgradeStatus(yjsUrl(s.code, s.alice.participantToken), { origin })).toBe(403)
      expect(await handshakeError(server.url, s.alice.participantToken, { origin })).toBe('FORBIDDEN')
    }
    // The same origin as the request's host is a browser of ours.
    expect(await upgradeStatus(yjsUrl(s.code, s.alice.participantToken), { origin: server.url })).toBe(101)
    // Raw socket.io: the CONNECT packet is answered with a CONNECT_ERROR, and no state.
    const io = t.add(rawSocketIo(server.url, { origin: 'https://evil.example' }))
    expect(await io.opened).toBe(101)
    io.connect({ token: s.ws.facilitatorToken })
    const answer = await io.next((p) => p.startsWith('44'), 'connect error')
    expect(JSON.parse(answer.slice(2))).toMatchObject({ message: 'FORBIDDEN' })
    expect(io.packets.some((p) => p.startsWith('42'))).toBe(false)
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    await stillServes(s)
  })

  it('a bad token everywhere, and no document byte before the refusal', async () => {
    const s = await newScene(server, t)
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    const bad = ['AAAAAAAAAAAAAAAAAAAAAAAA', '', 'x', s.alice.participantToken.slice(0, -1), s.alice.participantToken + 'A', "' OR 1=1 --", 'a'.repeat(5000)]
    for (const token of bad) {
      expect(await upgradeStatus(yjsUrl(s.code, encodeURIComponent(token)))).toBe(401)
      expect(await handshakeError(server.url, token)).toBe('UNAUTHORIZED')
      expect((await api(`${server.url}/api/me`, 'GET', undefined, auth(token))).status).toBe(401)
    }
    expect(await upgradeStatus(yjsUrl(s.code))).toBe(401)
    expect(await handshakeError(server.url, { token: s.alice.participantToken })).toBe('UNAUTHORIZED')
    const raw = t.raw(s, s.code, 'AAAAAAAAAAAAAAAAAAAAAAAA')
    expect(await raw.opened).toBe(401)
    expect(raw.doc.share.size).toBe(0)
    const io = t.add(rawSocketIo(server.url))
    io.connect({ token: 'AAAAAAAAAAAAAAAAAAAAAAAA' })
    expect(JSON.parse((await io.next((p) => p.startsWith('44'), 'connect error')).slice(2))).toMatchObject({ message: 'UNAUTHORIZED' })
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    await stillServes(s)
  })

  it('another workshop\'s token', async () => {
    const s = await newScene(server, t)
    const other = await createWorkshop(server.url, { title: 'Other team' })
    const stranger = await joinWorkshop(server.url, other.code, 'Stranger')
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    expect(await upgradeStatus(yjsUrl(s.code, stranger.participantToken))).toBe(403)
    expect(await upgradeStatus(yjsUrl(s.code, other.facilitatorToken))).toBe(403)
    expect(await upgradeStatus(yjsUrl(notebook(s, s.alice.participantId), other.facilitatorToken))).toBe(403)
    expect((await api(`${server.url}/api/workshops/${s.code}`, 'DELETE', undefined, auth(other.facilitatorToken))).status).toBe(403)
    expect((await api(`${server.url}/api/workshops/${s.code}/export.json`, 'GET', undefined, auth(other.facilitatorToken))).status).toBe(403)
    expect((await api(`${server.url}/api/workshops/${s.code}/participants/${s.alice.participantId}/sheet.pdf`, 'GET', undefined, auth(stranger.participantToken))).status).toBe(403)
    // Their control connection lives in their own workshop only.
    const theirs = t.control(s, other.facilitatorToken)
    const st = await theirs.until((x) => x.code === other.code, 'their state')
    expect(st.roster.map((r) => r.participantId)).toEqual([stranger.participantId])
    expect(await theirs.send('participant:remove', { participantId: s.alice.participantId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    await stillServes(s)
  })

  it('another participant\'s notebook, and the facilitator on a notebook', async () => {
    const s = await newScene(server, t)
    const bobsNotebook = t.doc(s, notebook(s, s.bob.participantId), s.bob.participantToken)
    await bobsNotebook.synced()
    draftsOf(bobsNotebook.doc).set('draft_000001', new Y.Text('my secret story'))
    await waitFor(() => storedRows(notebook(s, s.bob.participantId)) > 0, 'bob\'s notebook stored')
    const before = await digest(s, notebook(s, s.bob.participantId), s.bob.participantToken, t)
    expect(await upgradeStatus(yjsUrl(notebook(s, s.bob.participantId), s.alice.participantToken))).toBe(403)
    expect(await upgradeStatus(yjsUrl(notebook(s, s.bob.participantId), s.ws.facilitatorToken))).toBe(403)
    expect(await upgradeStatus(yjsUrl(`${s.code.toLowerCase()}/notebook/${s.bob.participantId}`, s.alice.participantToken))).toBe(403)
    const raw = t.raw(s, notebook(s, s.bob.participantId), s.alice.participantToken)
    expect(await raw.opened).toBe(403)
    expect(raw.doc.share.size).toBe(0)
    // The facilitator's copy of a sheet never includes the notebook; the notebook is nobody else's.
    expect(await digest(s, notebook(s, s.bob.participantId), s.bob.participantToken, t)).toEqual(before)
    await stillServes(s)
    expect(bobsNotebook.closes).toEqual([])
  })

  it('a participant\'s own notebook keeps its layout', async () => {
    const s = await newScene(server, t)
    const room = notebook(s, s.alice.participantId)
    const raw = await t.rawSynced(s, room, s.alice.participantToken)
    raw.sendUpdate(raw.capture((d) => draftsOf(d).set('draft_000001', new Y.Text('fine'))))
    await waitFor(() => storedRows(room) > 0, 'the allowed notebook write stored')
    expect(raw.closeInfo()).toBeNull()
    const before = await digest(s, room, s.alice.participantToken, t)
    raw.sendUpdate(raw.capture((d) => storyOf(d).insert(0, [new Y.Text('not a moment') as never])))
    expect(await raw.closeCode()).toBe(4403)
    const raw2 = await t.rawSynced(s, room, s.alice.participantToken)
    raw2.sendUpdate(raw2.capture((d) => d.getMap('board-copy').set('people', 'x')))
    expect(await raw2.closeCode()).toBe(4403)
    expect(await digest(s, room, s.alice.participantToken, t)).toEqual(before)
    await stillServes(s)
  })
})

describe('identity over time', () => {
  it('a removed participant\'s token (after participant:remove)', async () => {
    const s = await newScene(server, t)
    const room = notebook(s, s.alice.participantId)
    const board = await t.rawSynced(s, s.code, s.alice.participantToken)
    const nb = await t.rawSynced(s, room, s.alice.participantToken)
    nb.sendUpdate(nb.capture((d) => draftsOf(d).set('draft_000001', new Y.Text('private words'))))
    await waitFor(() => storedRows(room) > 0, 'alice\'s notebook stored')
    board.sendUpdate(board.capture((d) => personText(peopleOf(d).get(s.alice.participantId)!, 'purpose')!.insert(0, 'to be removed')))
    await waitFor(() => personField(s.facBoard.doc, s.alice.participantId, PERSON.purpose) === 'to be removed', 'alice\'s purpose')
    const aliceControl = t.control(s, s.alice.participantToken)
    await aliceControl.until((x) => x.roster.length === 2, 'alice\'s state')
    const disconnected = new Promise<string>((resolve) => aliceControl.socket.on('disconnect', (reason) => resolve(reason)))
    const fac = t.control(s, s.ws.facilitatorToken)
    await fac.until((x) => x.roster.length === 2, 'facilitator state')

    expect(await fac.send('participant:remove', { participantId: s.alice.participantId })).toEqual({ ok: true })
    expect(await board.closeCode()).toBe(4401)
    expect(await nb.closeCode()).toBe(4401)
    expect(await disconnected).toBe('io server disconnect')

    const token = s.alice.participantToken
    expect(await upgradeStatus(yjsUrl(s.code, token))).toBe(401)
    expect(await upgradeStatus(yjsUrl(room, token))).toBe(401)
    expect(await handshakeError(server.url, token)).toBe('UNAUTHORIZED')
    expect((await api(`${server.url}/api/me`, 'GET', undefined, auth(token))).status).toBe(401)
    await waitFor(() => !peopleOf(s.facBoard.doc).has(s.alice.participantId), 'alice\'s entry gone from the board')
    expect(storedRows(room)).toBe(0)
    expect(fac.last()!.roster.map((r) => r.participantId)).toEqual([s.bob.participantId])
    await stillServes(s)
  })

  it('a participant\'s facilitator command is FORBIDDEN and changes nothing', async () => {
    const s = await newScene(server, t)
    const fac = t.control(s, s.ws.facilitatorToken)
    await fac.until((x) => x.roster.length === 2, 'facilitator state')
    const alice = t.control(s, s.alice.participantToken)
    await alice.until((x) => x.phaseIndex === 0, 'alice\'s state')
    await fac.until((x) => x.roster.find((r) => r.participantId === s.alice.participantId)?.online === true, 'alice online')
    const seen = fac.states.length
    const tries: [string, unknown][] = [
      ['phase:goto', { index: 3 }], ['timer:start', { seconds: 60 }], ['board:lock', { locked: true }], ['focus:set', null],
      ['groups:make', { size: 2 }], ['participant:remove', { participantId: s.bob.participantId }], ['workshop:end', {}],
      ['phase:update', { index: 0, title: 'pwned' }], ['timer:add', { seconds: 60 }],
    ]
    for (const [event, payload] of tries) {
      expect(await alice.send(event, payload), event).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } })
    }
    // The same over a raw socket.io connection, and an event nobody defined.
    const io = t.add(rawSocketIo(server.url))
    io.connect({ token: s.alice.participantToken })
    await io.next((p) => p.startsWith('40'), 'connected')
    io.emit('workshop:end', {}, 7)
    expect(await io.ack(7)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    io.emit('admin:everything', { all: true }, 8)
    io.emit('ready:set', { ready: true }, 9)
    expect(await io.ack(9)).toEqual({ ok: true })
    expect(io.packets.some((p) => p.startsWith('438['))).toBe(false)
    // The facilitator heard only Alice's ready.
    const after = await fac.until((x) => x.roster.find((r) => r.participantId === s.alice.participantId)?.ready === true, 'alice ready')
    expect(fac.states.slice(seen).every((x) => x.phaseIndex === 0 && !x.locked && !x.ended && x.timer.status === 'idle' && x.roster.length === 2)).toBe(true)
    expect(after.phases[0]!.title).not.toBe('pwned')
    await stillServes(s)
  })

  it('writing while the board is locked (awareness still flows)', async () => {
    const s = await newScene(server, t)
    const fac = t.control(s, s.ws.facilitatorToken)
    await fac.until((x) => x.roster.length === 2, 'facilitator state')
    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    const raw = await t.rawSynced(s, s.code, s.alice.participantToken)
    raw.sendUpdate(raw.capture((d) => personText(peopleOf(d).get(s.alice.participantId)!, 'purpose')!.insert(0, 'while locked')))
    expect(await raw.closeCode()).toBe(4403)
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    // Awareness keeps flowing: Alice's cursor reaches Bob.
    const raw2 = await t.rawSynced(s, s.code, s.alice.participantToken)
    raw2.send(awarenessFrame(ownAwareness(raw2.doc, { user: { participantId: s.alice.participantId, name: 'Alice', color: '#e4572e' }, cursor: { x: 1, y: 2 } })))
    await waitFor(() => (s.bobBoard.provider.awareness.getStates().get(raw2.doc.clientID) as { cursor?: unknown } | undefined)?.cursor, 'alice\'s cursor at bob')
    // The facilitator still writes the board.
    ;(visionOf(s.facBoard.doc).values().next().value!.get('title') as Y.Text).insert(0, '★')
    await waitFor(() => (visionOf(s.bobBoard.doc).values().next().value!.get('title') as Y.Text).toString().startsWith('★'), 'the facilitator\'s edit while locked')
    expect(await fac.send('board:lock', { locked: false })).toEqual({ ok: true })
    await stillServes(s)
  })

  it('writing after workshop:end', async () => {
    const s = await newScene(server, t)
    await stillServes(s)
    const fac = t.control(s, s.ws.facilitatorToken)
    await fac.until((x) => x.roster.length === 2, 'facilitator state')
    expect(await fac.send('workshop:end', {})).toEqual({ ok: true })
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    const raw = await t.rawSynced(s, s.code, s.alice.participantToken)
    raw.sendUpdate(raw.capture((d) => personText(peopleOf(d).get(s.alice.participantId)!, 'commitment')!.insert(0, 'after the end')))
    expect(await raw.closeCode()).toBe(4403)
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    expect(await fac.send('board:lock', { locked: false })).toMatchObject({ ok: false, error: { code: 'ENDED' } })
    expect((await api(`${server.url}/api/workshops/${s.code}/participants`, 'POST', { name: 'Late' })).status).toBe(410)
    // Others are still served: reading the board, exporting, and other workshops' writing.
    const reader = t.doc(s, s.code, s.bob.participantToken)
    await reader.synced()
    expect(personField(reader.doc, s.bob.participantId, PERSON.commitment)).toMatch(/^ok-/)
    expect((await api(`${server.url}/api/workshops/${s.code}/export.json`, 'GET', undefined, auth(s.ws.facilitatorToken))).status).toBe(200)
    await stillServes(await newScene(server, t))
  })
})
