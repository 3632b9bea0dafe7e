// Limits with clear errors (SPEC §3, §4, §5): join-code guessing, request bodies, socket.io
// payloads, room names, connections per address, and text from people kept as text.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, createValue, peopleOf, valuesOf } from '../../shared/layout.js'
import { connectControl, type ControlClient } from '../support/control.js'
import { api, createWorkshop, joinWorkshop, waitFor, type TestServer } from '../support/server.js'
import { connectDoc, upgradeStatus, type Client } from '../support/yjs.js'
import { rawSocketIo } from '../support/raw.js'
import { Tracker, bootServer, digest, newScene, personField, stillServes } from './scene.js'

let server: TestServer
const t = new Tracker()
beforeAll(async () => {
  server = await bootServer()
})
afterEach(() => t.closeAll())
afterAll(async () => {
  await server?.destroy()
})

const roomsLoaded = async (url: string) => {
  const text = (await api<string>(`${url}/metrics`, 'GET')).body
  const m = /^kasane_rooms_loaded(?:\{[^}]*\})? (\d+)/m.exec(String(text))
  if (!m) throw new Error('kasane_rooms_loaded is not in /metrics')
  return Number(m[1])
}

describe('join-code guessing', () => {
  it('answers 404 alike for unknown and malformed codes, then 429 after 30 misses, hits included', async () => {
    // Its own node: the block covers every lookup from this address for a minute.
    const own = await bootServer()
    try {
      const ws = await createWorkshop(own.url)
      // Hits never count: a whole office may look the room up.
      for (let i = 0; i < 40; i++) expect((await api(`${own.url}/api/workshops/${ws.code}`, 'GET')).status).toBe(200)
      const unknown = await api(`${own.url}/api/workshops/ZZZZZZ`, 'GET')
      const malformed = await api(`${own.url}/api/workshops/${encodeURIComponent('../../etc/passwd')}`, 'GET')
      expect(unknown.status).toBe(404)
      expect(malformed.status).toBe(404)
      expect(malformed.body).toEqual(unknown.body)
      // 2 misses so far; 28 more reach the limit, and a forged forwarding header changes nothing.
      for (let i = 0; i < 28; i++) {
        const r = await api(`${own.url}/api/workshops/Q${String(i).padStart(5, '2').replace(/[01]/g, '3')}`, 'GET', undefined, { 'x-forwarded-for': `203.0.113.${i}` })
        expect(r.status, `miss ${i + 3}`).toBe(404)
      }
      const blocked = await api<{ error: { code: string } }>(`${own.url}/api/workshops/YYYYYY`, 'GET')
      expect(blocked.status).toBe(429)
      expect(blocked.body.error.code).toBe('RATE_LIMITED')
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
      // Hits included, so guessing learns nothing; joining by code is a lookup too.
      expect((await api(`${own.url}/api/workshops/${ws.code}`, 'GET')).status).toBe(429)
      expect((await api(`${own.url}/api/workshops/${ws.code}/participants`, 'POST', { name: 'Guesser' })).status).toBe(429)
      // The workshop itself is untouched and its people keep working.
      const fac = connectDoc(own.wsUrl, ws.code, ws.facilitatorToken)
      try {
        await fac.synced()
        expect(peopleOf(fac.doc).size).toBe(0)
      } finally {
        fac.destroy()
      }
      expect((await api(`${own.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${ws.facilitatorToken}` })).status).toBe(200)
    } finally {
      await own.destroy()
    }
  })
})

describe('sizes', () => {
  it('HTTP bodies over 256 KiB answer 413', async () => {
    const s = await newScene(server, t)
    const before = await digest(s, s.code, s.ws.facilitatorToken, t)
    const big = JSON.stringify({ title: 'x', vision: [{ title: 'v', body: 'b'.repeat(300 * 1024) }] })
    for (const [path, body] of [
      ['/api/workshops', big],
      [`/api/workshops/${s.code}/participants`, JSON.stringify({ name: 'n'.repeat(300 * 1024) })],
    ] as const) {
      const r = await api<{ error: { code: string } }>(`${server.url}${path}`, 'POST', body)
      expect(r.status, path).toBe(413)
      expect(r.body.error.code).toBe('TOO_LARGE')
    }
    // Just under the limit is judged on its content, not its size.
    const under = await api(`${server.url}/api/workshops`, 'POST', JSON.stringify({ title: 't', vision: [{ title: 'v', body: 'b'.repeat(200 * 1024) }] }))
    expect(under.status).toBe(400)
    expect(await digest(s, s.code, s.ws.facilitatorToken, t)).toEqual(before)
    await stillServes(s)
  })

  it('socket.io payloads over the limit disconnect that client only', async () => {
    const s = await newScene(server, t)
    const fac = t.control(s, s.ws.facilitatorToken)
    await fac.until((x) => x.roster.length === 2, 'facilitator state')
    const seen = fac.states.length
    // A stock client: the oversized event costs it its connection.
    const alice = t.control(s, s.alice.participantToken)
    await alice.until((x) => x.code === s.code, 'alice state')
    const gone = new Promise<string>((resolve) => alice.socket.on('disconnect', (r) => resolve(r)))
    ;(alice.socket.emit as (event: string, payload: unknown) => void)('ready:set', { ready: true, pad: 'x'.repeat(200 * 1024) })
    expect(await gone).toMatch(/transport (close|error)/)
    // A raw one, with a 1 MiB packet.
    const io = t.add(rawSocketIo(server.url))
    io.connect({ token: s.alice.participantToken })
    await io.next((p) => p.startsWith('40'), 'connected')
    io.send(`42["ready:set",{"ready":true,"pad":"${'y'.repeat(1024 * 1024)}"}]`)
    expect((await io.closed).code).toBe(1009)
    // Nothing changed and the node serves everyone else.
    const bob = t.control(s, s.bob.participantToken)
    expect(await bob.send('ready:set', { ready: true })).toEqual({ ok: true })
    await fac.until((x) => x.roster.find((r) => r.participantId === s.bob.participantId)?.ready === true, 'bob ready')
    expect(fac.states.slice(seen).every((x) => x.roster.find((r) => r.participantId === s.alice.participantId)?.ready === false)).toBe(true)
    await stillServes(s)
  })
})

describe('room names and connections', () => {
  it('1,000 distinct room names are refused without loading anything', async () => {
    const s = await newScene(server, t)
    const loaded = await roomsLoaded(server.url)
    const token = s.alice.participantToken
    const names: [string, number][] = []
    for (let i = 0; i < 1000; i++) {
      const n = i.toString(36)
      const kind = i % 5
      if (kind === 0) names.push([`${s.code}/notebook/${'p'.repeat(8)}${n}/x`, 404]) // too deep
      else if (kind === 1) names.push([`${s.code}${n}`, 404]) // not a room code
      else if (kind === 2) names.push([`${s.code}/board${n}`, 404]) // no such kind of room
      else if (kind === 3) names.push([`${s.code}/notebook/${encodeURIComponent('../' + n)}`, 404]) // not an id
      else names.push([`ZZZ${n.padStart(3, '2').replace(/[01]/g, '9')}`.slice(0, 6).toUpperCase(), 403]) // someone else's (unknown) workshop
    }
    const statuses = new Map<number, number>()
    for (let i = 0; i < names.length; i += 50) {
      const batch = names.slice(i, i + 50)
      const got = await Promise.all(batch.map(([n]) => upgradeStatus(`${server.wsUrl}/yjs/${n}?token=${token}`)))
      got.forEach((status, j) => {
        expect([batch[j]![1], 404, 403], batch[j]![0]).toContain(status)
        if (batch[j]![1] === 404) expect(status, batch[j]![0]).toBe(404)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
      })
    }
    expect(statuses.get(101)).toBeUndefined()
    // Another participant's notebook exists, but is not Alice's to open; unknown ones are refused alike.
    expect(await upgradeStatus(`${server.wsUrl}/yjs/${s.code}/notebook/nobody_00000001?token=${token}`)).toBe(403)
    expect(await roomsLoaded(server.url)).toBeLessThanOrEqual(loaded)
    // Without a token nothing is even parsed.
    expect(await upgradeStatus(`${server.wsUrl}/yjs/${names[1]![0]}`)).toBe(401)
    await stillServes(s)
  })

  it('300 connections from one address (100 people × board, notebook, control) all get in', async () => {
    const ws = await createWorkshop(server.url, { title: 'Big office' })
    const people = []
    for (let i = 0; i < 100; i++) people.push(await joinWorkshop(server.url, ws.code, `Person ${i}`))
    const docs: Client[] = []
    const controls: ControlClient[] = []
    try {
      for (const p of people) {
        docs.push(t.add(connectDoc(server.wsUrl, ws.code, p.participantToken)))
        docs.push(t.add(connectDoc(server.wsUrl, `${ws.code}/notebook/${p.participantId}`, p.participantToken)))
        controls.push(t.add(connectControl(server.url, p.participantToken)))
      }
      await waitFor(() => docs.every((d) => d.provider.synced), 'all 200 documents synced', 60_000)
      await waitFor(() => controls.every((c) => c.socket.connected && c.states.length > 0), 'all 100 control connections', 60_000)
      expect(docs.flatMap((d) => d.closes)).toEqual([])
      // And they work: the last one's value reaches the first one.
      const last = people[99]!
      const lastDoc = docs[198]!
      valuesOf(peopleOf(lastDoc.doc).get(last.participantId)!)!.set('value_0000001', createValue('together', 1, { x: 0, y: 0 }))
      await waitFor(() => valuesOf(peopleOf(docs[0]!.doc).get(last.participantId)!)?.has('value_0000001'), 'the value at the first client', 20_000)
      const fac = t.add(connectControl(server.url, ws.facilitatorToken))
      await fac.until((x) => x.roster.filter((r) => r.online).length === 100, 'all 100 online', 20_000)
    } finally {
      for (const d of docs) d.destroy()
      for (const c of controls) c.close()
    }
  })
})

describe('text from people is data', () => {
  it('names and titles with control characters or bidirectional overrides are refused', async () => {
    const s = await newScene(server, t)
    for (const name of ['Bob\u202Eevil', 'a\u2066b', 'bell\u0007', 'new\nline', '\u0000']) {
      const r = await api<{ error: { code: string } }>(`${server.url}/api/workshops/${s.code}/participants`, 'POST', { name })
      expect(r.status, JSON.stringify(name)).toBe(400)
      expect(r.body.error.code).toBe('INVALID')
    }
    const title = await api(`${server.url}/api/workshops`, 'POST', { title: 'Team\u202Eevil', vision: [{ title: 'v' }] })
    expect(title.status).toBe(400)
    const vision = await api(`${server.url}/api/workshops`, 'POST', { title: 'Team', vision: [{ title: 'v\u0008' }] })
    expect(vision.status).toBe(400)
    const fac = t.control(s, s.ws.facilitatorToken)
    await fac.until((x) => x.roster.length === 2, 'roster')
    expect(await fac.send('phase:update', { index: 0, title: 'Check\u202Ein' })).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    await stillServes(s)
  })


  it('an XSS payload in a name and in a value is stored and returned as plain text', async () => {
    const s = await newScene(server, t)
    const name = '<img src=x onerror=alert(1)>'
    const value = '<script>alert("x")</script>'
    const purpose = '"></textarea><svg onload=alert(1)>&amp;'
    const mallory = await joinWorkshop(server.url, s.code, name)
    const me = await api<{ name: string }>(`${server.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${mallory.participantToken}` })
    expect(me.headers.get('content-type')).toMatch(/^application\/json/)
    expect(me.body.name).toBe(name)
    const board = t.doc(s, s.code, mallory.participantToken)
    await board.synced()
    await waitFor(() => peopleOf(board.doc).has(mallory.participantId), 'mallory\'s entry')
    const entry = peopleOf(board.doc).get(mallory.participantId)!
    valuesOf(entry)!.set('value_000xss1', createValue(value, 1, { x: 0, y: 0 }))
    ;(entry.get(PERSON.purpose) as Y.Text).insert(0, purpose)
    await waitFor(() => personField(s.facBoard.doc, mallory.participantId, PERSON.purpose) === purpose, 'the purpose at the facilitator')
    expect(((valuesOf(peopleOf(s.facBoard.doc).get(mallory.participantId)!)!.get('value_000xss1')!.get('text')) as Y.Text).toString()).toBe(value)
    const fac = t.control(s, s.ws.facilitatorToken)
    const st = await fac.until((x) => x.roster.length === 3, 'roster')
    expect(st.roster.find((r) => r.participantId === mallory.participantId)!.name).toBe(name)
    const exported = await api<{ people: unknown }>(`${server.url}/api/workshops/${s.code}/export.json`, 'GET', undefined, { authorization: `Bearer ${s.ws.facilitatorToken}` })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-type')).toMatch(/^application\/json/)
    const text = JSON.stringify(exported.body)
    expect(text).toContain(JSON.stringify(value).slice(1, -1))
    expect(text).toContain(JSON.stringify(name).slice(1, -1))
    expect(text).toContain(JSON.stringify(purpose).slice(1, -1))
    await stillServes(s)
  })
})
