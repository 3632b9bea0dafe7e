// SPEC §3 from outside: shapes, limits, error codes and their order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, createWorkshop, joinWorkshop, startServer, type TestServer } from '../support/server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ env: { MAX_PARTICIPANTS: '120' } })
})
afterAll(() => server.destroy())

const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } })

describe('HTTP API', () => {
  it('answers health', async () => {
    expect(await api(`${server.url}/healthz`, 'GET')).toMatchObject({ status: 200, body: { ok: true } })
  })

  it('creates a workshop with a room code, join and facilitator links', async () => {
    const res = await api<Record<string, string>>(`${server.url}/api/workshops`, 'POST', { title: '  全社パーパス研修  ', vision: [{ title: '世界を笑顔に' }] })
    expect(res.status).toBe(201)
    expect(res.body.code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/)
    expect(res.body.facilitatorToken!.length).toBeGreaterThanOrEqual(22)
    expect(res.body.joinUrl).toBe(`${server.url}/j/${res.body.code}`)
    expect(res.body.facilitatorUrl).toBe(`${server.url}/f/${res.body.code}#token=${res.body.facilitatorToken}`)
    const info = await api(`${server.url}/api/workshops/${res.body.code}`, 'GET')
    expect(info.body).toEqual({ code: res.body.code, title: '全社パーパス研修', locale: 'ja', phase: { index: 0, title: 'チェックイン' }, participantCount: 0, ended: false, joinUrl: res.body.joinUrl })
  })

  it('refuses invalid workshops with INVALID and creates nothing', async () => {
    const bad: unknown[] = [
      {},
      { title: '', vision: [{ title: 'v' }] },
      { title: 'x'.repeat(121), vision: [{ title: 'v' }] },
      { title: 'a\u202Eb', vision: [{ title: 'v' }] },
      { title: 'ok', vision: [] },
      { title: 'ok', vision: Array.from({ length: 21 }, () => ({ title: 'v' })) },
      { title: 'ok', vision: [{ title: 'v', body: 'b'.repeat(1001) }] },
      { title: 'ok', locale: 'fr', vision: [{ title: 'v' }] },
      { title: 'ok', template: 'nope', vision: [{ title: 'v' }] },
      { title: 42, vision: [{ title: 'v' }] },
      [1, 2, 3],
    ]
    for (const body of bad) {
      const res = await api(`${server.url}/api/workshops`, 'POST', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body).toEqual(errorBody('INVALID'))
    }
    expect((await api(`${server.url}/api/workshops`, 'POST', '{"title":')).body).toEqual(errorBody('INVALID'))
    const huge = await api(`${server.url}/api/workshops`, 'POST', { title: 'x', vision: [{ title: 'v', body: 'y'.repeat(300 * 1024) }] })
    expect(huge).toMatchObject({ status: 413, body: errorBody('TOO_LARGE') })
  })

  it('joins with a name, colour and token; refuses bad names', async () => {
    const ws = await createWorkshop(server.url)
    const res = await api<Record<string, string>>(`${server.url}/api/workshops/${ws.code.toLowerCase()}/participants`, 'POST', { name: ' 山田 花子 ' })
    expect(res.status).toBe(201)
    expect(res.body.participantId).toMatch(/^[A-Za-z0-9_-]{8,32}$/)
    expect(res.body.color).toMatch(/^#[0-9a-f]{6}$/)
    const me = await api(`${server.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${res.body.participantToken}` })
    expect(me.body).toEqual({ role: 'participant', code: ws.code, participantId: res.body.participantId, name: '山田 花子' })
    for (const name of ['', '   ', '\u3000', 'x'.repeat(41), 'a\u0007b', 'a\u2066b', 7]) {
      const r = await api(`${server.url}/api/workshops/${ws.code}/participants`, 'POST', { name })
      expect(r.status, JSON.stringify(name)).toBe(400)
    }
    // 40 code points of Japanese and emoji are fine.
    expect((await api(`${server.url}/api/workshops/${ws.code}/participants`, 'POST', { name: '😀'.repeat(40) })).status).toBe(201)
  })

  it('answers unknown and malformed codes alike', async () => {
    const a = await api(`${server.url}/api/workshops/ZZZZZZ`, 'GET')
    const b = await api(`${server.url}/api/workshops/not-a-code!`, 'GET')
    expect(a).toMatchObject({ status: 404, body: errorBody('NOT_FOUND') })
    expect(b.status).toBe(404)
    expect(b.body).toEqual(a.body)
  })

  it('lets 100 people behind one address join one workshop within a minute', async () => {
    const ws = await createWorkshop(server.url)
    const joined = await Promise.all(Array.from({ length: 100 }, (_, i) => joinWorkshop(server.url, ws.code, `Person ${i + 1}`)))
    expect(new Set(joined.map((j) => j.participantId)).size).toBe(100)
  })

  it('refuses /api/me and DELETE in the order token, code, role', async () => {
    const ws = await createWorkshop(server.url)
    const other = await createWorkshop(server.url)
    const p = await joinWorkshop(server.url, ws.code, 'P')
    const del = (code: string, token?: string) => api(`${server.url}/api/workshops/${code}`, 'DELETE', undefined, token ? { authorization: `Bearer ${token}` } : {})
    expect((await api(`${server.url}/api/me`, 'GET')).status).toBe(401)
    expect((await del('ZZZZZZ')).status).toBe(401)
    expect((await del('ZZZZZZ', p.participantToken)).status).toBe(404)
    expect((await del(ws.code, p.participantToken)).body).toEqual(errorBody('FORBIDDEN'))
    expect((await del(ws.code, other.facilitatorToken)).status).toBe(403)
    expect((await del(ws.code, ws.facilitatorToken)).status).toBe(204)
    expect((await api(`${server.url}/api/workshops/${ws.code}`, 'GET')).status).toBe(404)
    expect((await api(`${server.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${p.participantToken}` })).status).toBe(401)
  })

  it('sets security headers and serves unknown API paths as NOT_FOUND', async () => {
    const res = await fetch(`${server.url}/api/nothing-here`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual(errorBody('NOT_FOUND'))
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-powered-by')).toBeNull()
  })
})

describe('limits that need their own server', () => {
  it('blocks an address after 30 misses, hits included, with Retry-After', async () => {
    const s = await startServer()
    try {
      const ws = await createWorkshop(s.url)
      for (let i = 0; i < 30; i++) expect((await api(`${s.url}/api/workshops/ZZZZZ${'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[i]}`, 'GET')).status).toBe(404)
      const blocked = await api(`${s.url}/api/workshops/ZZZZZZ`, 'GET')
      expect(blocked).toMatchObject({ status: 429, body: errorBody('RATE_LIMITED') })
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await api(`${s.url}/api/workshops/${ws.code}`, 'GET')).status).toBe(429)
      expect((await api(`${s.url}/api/workshops/${ws.code}/participants`, 'POST', { name: 'x' })).status).toBe(429)
    } finally {
      await s.destroy()
    }
  })

  it('answers 409 when full, 410 after the end, and needs X-Create-Key when set', async () => {
    const s = await startServer({ env: { MAX_PARTICIPANTS: '2', CREATE_KEY: 'open-sesame' } })
    try {
      expect((await api(`${s.url}/api/workshops`, 'POST', { title: 't', vision: [{ title: 'v' }] })).status).toBe(401)
      expect((await api(`${s.url}/api/workshops`, 'POST', { title: 't', vision: [{ title: 'v' }] }, { 'x-create-key': 'nope' })).status).toBe(401)
      const created = await api<{ code: string; facilitatorToken: string }>(`${s.url}/api/workshops`, 'POST', { title: 't', vision: [{ title: 'v' }] }, { 'x-create-key': 'open-sesame' })
      expect(created.status).toBe(201)
      const { code } = created.body
      await joinWorkshop(s.url, code, 'a')
      await joinWorkshop(s.url, code, 'b')
      expect(await api(`${s.url}/api/workshops/${code}/participants`, 'POST', { name: 'c' })).toMatchObject({ status: 409, body: errorBody('CONFLICT') })
    } finally {
      await s.destroy()
    }
  })
})
