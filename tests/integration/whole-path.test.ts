// The backbone end to end: create, join, edit through stock clients, survive a restart, and the
// control plane's authority.
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { peopleOf, readPeople, readVision, PERSON } from '../../shared/layout.js'
import { connectControl, handshakeError } from '../support/control.js'
import { api, createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server.js'
import { connectDoc, upgradeStatus, type Client } from '../support/yjs.js'

let server: TestServer | undefined
const cleanups: (() => void)[] = []
afterEach(async () => {
  cleanups.splice(0).forEach((c) => c())
  await server?.destroy()
  server = undefined
})

function track<T extends { destroy(): void } | { close(): void }>(c: T): T {
  cleanups.push(() => ('destroy' in c ? c.destroy() : c.close()))
  return c
}

const purposeOf = (doc: Y.Doc, pid: string) => (peopleOf(doc).get(pid)?.get(PERSON.purpose) as Y.Text | undefined)?.toString()

describe('the whole path', () => {
  it('two participants see each other\'s edits, and everything survives a restart', async () => {
    server = await startServer()
    const ws = await createWorkshop(server.url)
    const alice = await joinWorkshop(server.url, ws.code, 'Alice')
    const bob = await joinWorkshop(server.url, ws.code, 'ボブ')

    const a: Client = track(connectDoc(server.wsUrl, ws.code, alice.participantToken))
    const b: Client = track(connectDoc(server.wsUrl, ws.code, bob.participantToken))
    await Promise.all([a.synced(), b.synced()])
    expect(readVision(a.doc).map((v) => v.title)).toEqual(['Make work joyful', 'Grow together'])
    expect(readPeople(a.doc).map((p) => p.participantId).sort()).toEqual([alice.participantId, bob.participantId].sort())

    ;(peopleOf(a.doc).get(alice.participantId)!.get(PERSON.purpose) as Y.Text).insert(0, 'To light up work')
    ;(peopleOf(b.doc).get(bob.participantId)!.get(PERSON.purpose) as Y.Text).insert(0, '人の可能性を広げる')
    await waitFor(() => purposeOf(b.doc, alice.participantId) === 'To light up work', 'bob sees alice')
    await waitFor(() => purposeOf(a.doc, bob.participantId) === '人の可能性を広げる', 'alice sees bob')

    // Restart on the same data directory.
    a.destroy()
    b.destroy()
    const dataDir = server.dataDir
    await server.stop()
    server = await startServer({ dataDir })
    const fresh = track(connectDoc(server.wsUrl, ws.code, ws.facilitatorToken))
    await fresh.synced()
    await waitFor(() => purposeOf(fresh.doc, alice.participantId) === 'To light up work', 'alice\'s purpose after restart')
    expect(purposeOf(fresh.doc, bob.participantId)).toBe('人の可能性を広げる')
    expect(readVision(fresh.doc)).toHaveLength(2)

    const info = await api<{ participantCount: number; code: string }>(`${server.url}/api/workshops/${ws.code.toLowerCase()}`, 'GET')
    expect(info.status).toBe(200)
    expect(info.body.participantCount).toBe(2)
  })

  it('only the facilitator moves the phase, and every participant hears it', async () => {
    server = await startServer()
    const ws = await createWorkshop(server.url)
    const alice = await joinWorkshop(server.url, ws.code, 'Alice')
    const bob = await joinWorkshop(server.url, ws.code, 'Bob')
    const fac = track(connectControl(server.url, ws.facilitatorToken))
    const pa = track(connectControl(server.url, alice.participantToken))
    const pb = track(connectControl(server.url, bob.participantToken))
    await fac.until((s) => s.roster.filter((r) => r.online).length === 2, 'both participants online')
    await pa.until((s) => s.phaseIndex === 0, 'alice has state')

    const refused = await pa.send('phase:goto', { index: 3 })
    expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } })
    expect(fac.last()!.phaseIndex).toBe(0)

    const ok = await fac.send('phase:goto', { index: 2 })
    expect(ok).toEqual({ ok: true })
    // The state is broadcast before the acknowledgement is answered.
    expect(fac.last()!.phaseIndex).toBe(2)
    await pa.until((s) => s.phaseIndex === 2, 'alice sees phase 2')
    await pb.until((s) => s.phaseIndex === 2 && s.timer.status === 'idle', 'bob sees phase 2')
    expect(pb.last()!.phases[2]!.kind).toBe('values')

    pb.close()
    await fac.until((s) => s.roster.find((r) => r.participantId === bob.participantId)?.online === false, 'bob offline')
  })

  it('refuses bad tokens on HTTP, socket.io and Yjs', async () => {
    server = await startServer()
    const ws = await createWorkshop(server.url)
    const other = await createWorkshop(server.url)
    const alice = await joinWorkshop(server.url, ws.code, 'Alice')
    const bob = await joinWorkshop(server.url, ws.code, 'Bob')

    const me = await api(`${server.url}/api/me`, 'GET', undefined, { authorization: 'Bearer not-a-real-token-at-all' })
    expect(me.status).toBe(401)
    expect(me.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } })
    const mine = await api<{ role: string; participantId: string; name: string }>(`${server.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${alice.participantToken}` })
    expect(mine.body).toEqual({ role: 'participant', code: ws.code, participantId: alice.participantId, name: 'Alice' })

    expect(await handshakeError(server.url, 'AAAAAAAAAAAAAAAAAAAAAAAA')).toBe('UNAUTHORIZED')
    expect(await handshakeError(server.url, undefined)).toBe('UNAUTHORIZED')
    expect(await handshakeError(server.url, ws.facilitatorToken, { origin: 'https://evil.example' })).toBe('FORBIDDEN')

    const yjs = `${server.wsUrl}/yjs`
    expect(await upgradeStatus(`${yjs}/${ws.code}?token=AAAAAAAAAAAAAAAAAAAAAAAA`)).toBe(401)
    expect(await upgradeStatus(`${yjs}/${ws.code}`)).toBe(401)
    expect(await upgradeStatus(`${yjs}/${other.code}?token=${alice.participantToken}`)).toBe(403)
    expect(await upgradeStatus(`${yjs}/${ws.code}/notebook/${bob.participantId}?token=${alice.participantToken}`)).toBe(403)
    expect(await upgradeStatus(`${yjs}/${ws.code}/notebook/${alice.participantId}?token=${ws.facilitatorToken}`)).toBe(403)
    expect(await upgradeStatus(`${yjs}/${ws.code}?token=${alice.participantToken}`, { origin: 'https://evil.example' })).toBe(403)
    expect(await upgradeStatus(`${yjs}/${ws.code}/notebook/${alice.participantId}?token=${alice.participantToken}`)).toBe(101)
    expect(await upgradeStatus(`${yjs}/${ws.code.toLowerCase()}?token=${alice.participantToken}`)).toBe(101)
  })
})
