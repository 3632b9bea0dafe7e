// RETENTION_DAYS: a workshop is deleted after that long without activity, with everything in it.
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, expect, it } from 'vitest'
import { api, createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.destroy()
  server = undefined
})

it('deletes workshops idle for longer than RETENTION_DAYS, and keeps the others', async () => {
  server = await startServer({ env: { RETENTION_DAYS: '7' } })
  const old = await createWorkshop(server.url, { title: 'old workshop' })
  const fresh = await createWorkshop(server.url, { title: 'fresh workshop' })
  const p = await joinWorkshop(server.url, old.code, 'Someone')
  const dataDir = server.dataDir
  await server.stop()

  const db = new Database(path.join(dataDir, 'kasane.db'))
  const eightDaysAgo = Date.now() - 8 * 86_400_000
  db.prepare('UPDATE workshops SET last_activity = ? WHERE code = ?').run(eightDaysAgo, old.code)
  db.close()

  server = await startServer({ dataDir, env: { RETENTION_DAYS: '7' } })
  await waitFor(async () => (await api(`${server!.url}/api/workshops/${old.code}`, 'GET')).status === 404, 'old workshop deleted')
  expect((await api(`${server.url}/api/workshops/${fresh.code}`, 'GET')).status).toBe(200)
  expect((await api(`${server.url}/api/me`, 'GET', undefined, { authorization: `Bearer ${p.participantToken}` })).status).toBe(401)
  const check = new Database(path.join(dataDir, 'kasane.db'), { readonly: true })
  const rows = check.prepare("SELECT count(*) AS n FROM doc_updates WHERE doc = ? OR doc LIKE ?").get(old.code, `${old.code}/%`) as { n: number }
  check.close()
  expect(rows.n).toBe(0)
})
