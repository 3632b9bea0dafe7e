// SPEC §4 from outside: every command, its refusals, and what it does to connections.
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PERSON, peopleOf } from '../../shared/layout.js'
import { connectControl, type ControlClient } from '../support/control.js'
import { api, createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server.js'
import { connectDoc, type Client } from '../support/yjs.js'

let server: TestServer | undefined

/** Reads the node's SQLite file directly: what storage holds, not what a client is told. */
function sqlite<T>(read: (db: Database.Database) => T): T {
  const db = new Database(path.join(server!.dataDir, 'kasane.db'), { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}
const storedRows = (doc: string) =>
  sqlite((db) => (db.prepare('SELECT (SELECT count(*) FROM doc_updates WHERE doc = ?) + (SELECT count(*) FROM doc_snapshots WHERE doc = ?) AS n').get(doc, doc) as { n: number }).n)
const storedTimer = (code: string) =>
  sqlite((db) => JSON.parse((db.prepare('SELECT control FROM workshops WHERE code = ?').get(code) as { control: string }).control).timer.status as string)
const open: (ControlClient | Client)[] = []
afterEach(async () => {
  for (const c of open.splice(0)) 'destroy' in c ? c.destroy() : c.close()
  await server?.destroy()
  server = undefined
})
const control = (token: string) => {
  const c = connectControl(server!.url, token)
  open.push(c)
  return c
}
const yjs = (room: string, token: string) => {
  const c = connectDoc(server!.wsUrl, room, token)
  open.push(c)
  return c
}

async function setup(names = ['Aiko', 'Ben']) {
  server = await startServer()
  const ws = await createWorkshop(server.url)
  const people = []
  for (const n of names) people.push(await joinWorkshop(server.url, ws.code, n))
  const fac = control(ws.facilitatorToken)
  await fac.until((s) => s.roster.length === names.length, 'roster')
  return { ws, people, fac }
}

describe('control plane', () => {
  it('validates every payload and changes nothing on refusal', async () => {
    const { fac } = await setup()
    const before = fac.states.length
    const invalid: [string, unknown][] = [
      ['phase:goto', { index: -1 }], ['phase:goto', { index: 1.5 }], ['phase:goto', { index: 99 }], ['phase:goto', null],
      ['phase:update', { index: 0, durationSec: 59 }], ['phase:update', { index: 0, prompt: 'p'.repeat(1001) }], ['phase:update', { index: 0, title: '' }],
      ['timer:start', { seconds: 0 }], ['timer:start', { seconds: 7201 }], ['timer:add', { seconds: 3601 }],
      ['board:lock', { locked: 'yes' }], ['focus:set', { x: 0, y: 0, zoom: 11 }], ['focus:set', { x: Infinity, y: 0, zoom: 1 }],
      ['groups:make', { size: 1 }], ['groups:make', { size: 9 }], ['participant:remove', { participantId: 5 }],
    ]
    for (const [event, payload] of invalid) {
      const ack = await fac.send(event, payload)
      expect(ack, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    }
    expect(await fac.send('timer:pause', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await fac.send('participant:remove', { participantId: 'nobody-here' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await fac.send('ready:set', { ready: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(fac.states.length).toBe(before)
  })

  it('edits phases, sets focus, makes groups of online people and records ready', async () => {
    const { ws, people, fac } = await setup(['A', 'B', 'C', 'D', 'E'])
    const online = people.slice(0, 4).map((p) => control(p.participantToken))
    await fac.until((s) => s.roster.filter((r) => r.online).length === 4, 'four online')
    expect(await fac.send('phase:update', { index: 1, title: '人生の物語', prompt: '五つ書こう', durationSec: 600 })).toEqual({ ok: true })
    expect(fac.last()!.phases[1]).toMatchObject({ id: 'story', kind: 'story', title: '人生の物語', prompt: '五つ書こう', durationSec: 600 })
    expect(await fac.send('focus:set', { x: 10.5, y: -3, zoom: 1.5 })).toEqual({ ok: true })
    await online[0]!.until((s) => s.focus?.zoom === 1.5, 'focus reaches participants')
    expect(await fac.send('focus:set', null)).toEqual({ ok: true })
    expect(await fac.send('groups:make', { size: 2 })).toEqual({ ok: true })
    const groups = fac.last()!.roster.map((r) => r.group)
    expect(groups.filter((g) => g !== null).sort()).toEqual([1, 1, 2, 2])
    expect(fac.last()!.roster.find((r) => r.participantId === people[4]!.participantId)!.group).toBeNull()
    expect(await online[1]!.send('ready:set', { ready: true })).toEqual({ ok: true })
    expect(fac.last()!.roster.find((r) => r.participantId === people[1]!.participantId)!.ready).toBe(true)
    expect(await fac.send('phase:goto', { index: 2 })).toEqual({ ok: true })
    expect(fac.last()!.roster.every((r) => !r.ready)).toBe(true)
    void ws
  })

  it('finishes a timer with nobody connected', async () => {
    const { ws, fac } = await setup([])
    expect(await fac.send('timer:start', { seconds: 1 })).toEqual({ ok: true })
    const running = fac.last()!.timer
    expect(running.status).toBe('running')
    expect(running.remainingMs).toBeGreaterThan(0)
    expect(running.remainingMs).toBeLessThanOrEqual(1000)
    expect(running.endsAt! - fac.last()!.serverTime).toBe(running.remainingMs)
    fac.close()
    await waitFor(() => storedTimer(ws.code) === 'done', 'stored timer done with nobody connected', 5000)
    const again = control(ws.facilitatorToken)
    const s = await again.until((x) => x.timer.status === 'done', 'timer done')
    expect(s.timer).toEqual({ status: 'done', endsAt: null, remainingMs: 0 })
  })

  it('announces done to everyone when the timer runs out', async () => {
    const { people, fac } = await setup(['A'])
    const p = control(people[0]!.participantToken)
    await p.until((s) => s.roster[0]!.online, 'online')
    await fac.send('timer:start', { seconds: 1 })
    await p.until((s) => s.timer.status === 'done', 'participant hears done', 5000)
  })

  it('locks the board: participants are refused with 4403, the facilitator is not', async () => {
    const { ws, people, fac } = await setup(['A'])
    const a = yjs(ws.code, people[0]!.participantToken)
    const f = yjs(ws.code, ws.facilitatorToken)
    await Promise.all([a.synced(), f.synced()])
    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    ;(peopleOf(a.doc).get(people[0]!.participantId)!.get(PERSON.checkin) as Y.Text).insert(0, 'happy')
    await waitFor(() => a.closes.includes(4403), 'close 4403')
    const fromServer = yjs(ws.code, ws.facilitatorToken)
    await fromServer.synced()
    expect((peopleOf(fromServer.doc).get(people[0]!.participantId)!.get(PERSON.checkin) as Y.Text).toString()).toBe('')
    expect(await fac.send('board:lock', { locked: false })).toEqual({ ok: true })
  })

  it('removes a participant: token revoked, connections closed with 4401, entry and notebook gone', async () => {
    const { ws, people, fac } = await setup(['A', 'B'])
    const [a, b] = people as [(typeof people)[0], (typeof people)[0]]
    const note = yjs(`${ws.code}/notebook/${a.participantId}`, a.participantToken)
    const board = yjs(ws.code, a.participantToken)
    const watcher = yjs(ws.code, b.participantToken)
    await Promise.all([note.synced(), board.synced(), watcher.synced()])
    const moment = new Y.Map<unknown>()
    moment.set('id', 'moment-one')
    note.doc.getArray('story').push([moment])
    const notebookName = `${ws.code}/notebook/${a.participantId}`
    await waitFor(() => storedRows(notebookName) > 0, 'notebook stored')
    const ctl = control(a.participantToken)
    await ctl.until((s) => s.roster.some((r) => r.participantId === a.participantId && r.online), 'a online')
    expect(await fac.send('participant:remove', { participantId: a.participantId })).toEqual({ ok: true })
    expect(fac.last()!.roster.map((r) => r.participantId)).toEqual([b.participantId])
    await waitFor(() => note.closes.includes(4401) && board.closes.includes(4401), 'closed with 4401')
    await waitFor(() => !ctl.socket.connected, 'control disconnected')
    await waitFor(() => !peopleOf(watcher.doc).has(a.participantId), 'entry deleted for others')
    const me = await api(`${server!.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${a.participantToken}` })
    expect(me.status).toBe(401)
    expect(storedRows(notebookName)).toBe(0)
  })

  it('ends the workshop: every command is ENDED, joining is 410, the board is read-only', async () => {
    const { ws, people, fac } = await setup(['A'])
    const p = control(people[0]!.participantToken)
    await p.until((s) => s.roster[0]!.online, 'online')
    expect(await fac.send('workshop:end', {})).toEqual({ ok: true })
    expect(fac.last()!.ended).toBe(true)
    expect(await fac.send('phase:goto', { index: 1 })).toMatchObject({ ok: false, error: { code: 'ENDED' } })
    expect(await p.send('ready:set', { ready: true })).toMatchObject({ ok: false, error: { code: 'ENDED' } })
    const join = await api(`${server!.url}/api/workshops/${ws.code}/participants`, 'POST', { name: 'late' })
    expect(join).toMatchObject({ status: 410, body: { error: { code: 'ENDED' } } })
    expect((await api<{ ended: boolean }>(`${server!.url}/api/workshops/${ws.code}`, 'GET')).body.ended).toBe(true)
  })

  it('limits the command rate per connection', async () => {
    const { fac } = await setup([])
    const acks = await Promise.all(Array.from({ length: 60 }, () => fac.send('board:lock', { locked: false })))
    expect(acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0)
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(30)
  })
})
