// Exports through a real Kasane node: people write with stock y-websocket clients, the facilitator
// and participants download the report, sheets, JSON and the sheets ZIP over HTTP, and the files
// are read back with poppler (pdftotext, pdffonts) and jszip.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import JSZip from 'jszip'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server.js'
import { connectDoc, type Client } from '../support/yjs.js'
import { connectControl } from '../support/control.js'
import { cardsOf, createValue, draftsOf, linksOf, peopleOf, personText, reactionsOf, storyOf, valuesOf, visionOf } from '../../shared/layout.js'
import { notebookRoom } from '../../shared/protocol.js'
import { pdf } from '../../shared/i18n/pdf.js'
import { loadFaces } from '../../server/export/pdf/fonts.js'
import { printable } from '../../server/export/pdf/glyphs.js'
import { stampSubstitutes } from '../../server/export/pdf/stamps.js'

const ARTIFACTS = path.resolve('tests/artifacts')
mkdirSync(ARTIFACTS, { recursive: true })
const face = loadFaces().regular
const squash = (s: string) => s.replace(/[\s-]+/g, '') // pdftotext joins words hyphenated at line ends

function pdfText(name: string, bytes: Buffer): string {
  const file = path.join(ARTIFACTS, name)
  writeFileSync(file, bytes)
  // Page bodies only: the header band and the page numbers are cropped away.
  return squash(execFileSync('pdftotext', ['-enc', 'UTF-8', '-x', '0', '-y', '48', '-W', '596', '-H', '750', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }))
}
function pdfFonts(name: string): string[] {
  return execFileSync('pdffonts', [path.join(ARTIFACTS, name)], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
}

async function download(url: string, token?: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}

const RUN = Array.from({ length: 300 }, (_, i) => 'https://example.com/'[i % 20]).join('')
const JA_MAX = Array.from({ length: 300 }, (_, i) => '私は人と人をつなぐことで、誰もが自分らしく挑戦できる職場をつくりたい。'[i % 34]).join('')

type Person = { name: string; checkin: string; purpose: string; values: string[]; reason: string; commitment: string; autonomy: string }
const PEOPLE: Person[] = [
  { name: '山田 花子', checkin: 'わくわく', purpose: JA_MAX, values: ['挑戦', '誠実', '成長'], reason: '新しいことに挑む姿勢がビジョンと重なるから。', commitment: '毎朝チームに一声かける。', autonomy: '会議の進め方は自分で決める。' },
  { name: 'Alex Morgan', checkin: 'Curious', purpose: 'To help people grow so that they thrive.', values: ['Curiosity', 'Trust'], reason: 'Growth is what our vision asks of us.', commitment: 'Ask one open question in every meeting.', autonomy: 'How I plan my week.' },
  { name: '<script>alert(1)</script>', checkin: '😀 ok', purpose: 'مرحبا بالعالم — שלום עולם \u202Ereversed\u202C 👏✨💪', values: ['👨‍👩‍👧 家族', '<b>bold</b>'], reason: RUN.slice(0, 200), commitment: RUN, autonomy: '' },
]

describe('exports over HTTP', () => {
  let server: TestServer
  let code: string
  let facilitator: string
  const joined: { participantId: string; participantToken: string }[] = []
  const clients: Client[] = []

  beforeAll(async () => {
    server = await startServer()
    const ws = await createWorkshop(server.url, {
      title: 'マイパーパス・ワークショップ 2026',
      locale: 'ja',
      vision: [{ title: '食と健康で人びとのウェルネスを共創する', body: 'For everyone we serve' }, { title: 'Grow together with society' }],
    })
    code = ws.code
    facilitator = ws.facilitatorToken
    for (const p of PEOPLE) joined.push(await joinWorkshop(server.url, code, p.name))

    // The facilitator's view of the board tells when every edit has reached the server.
    const watcher = connectDoc(server.wsUrl, code, facilitator)
    clients.push(watcher)
    await watcher.synced()
    const visionIds = [...visionOf(watcher.doc).keys()]
    expect(visionIds).toHaveLength(2)

    for (const [i, p] of PEOPLE.entries()) {
      const me = joined[i]!
      const board = connectDoc(server.wsUrl, code, me.participantToken)
      const notebook = connectDoc(server.wsUrl, notebookRoom(code, me.participantId), me.participantToken)
      clients.push(board, notebook)
      await Promise.all([board.synced(), notebook.synced()])
      await waitFor(() => peopleOf(board.doc).get(me.participantId), 'own board entry')
      const person = peopleOf(board.doc).get(me.participantId)!
      board.doc.transact(() => {
        personText(person, 'checkin')!.insert(0, p.checkin)
        personText(person, 'purpose')!.insert(0, p.purpose)
        personText(person, 'commitment')!.insert(0, p.commitment)
        if (p.autonomy) personText(person, 'autonomy')!.insert(0, p.autonomy)
        p.values.forEach((text, k) => valuesOf(person)!.set(`val-${k}-${i}abcd`, createValue(text, (k + 1) as 1 | 2 | 3, { x: k, y: i })))
        linksOf(person)!.set(`lnk-a-${i}abcd`, { from: `val-0-${i}abcd`, to: visionIds[0]!, reason: p.reason })
        linksOf(person)!.set(`lnk-b-${i}abcd`, { from: 'purpose', to: visionIds[1]!, reason: p.reason })
        // Everyone sends a stamp to the first participant.
        if (i > 0) reactionsOf(person)!.set(joined[0]!.participantId, i === 1 ? 'resonates' : 'cheering')
      })
      notebook.doc.transact(() => {
        ;[['小学生', 3], ['中学 部活', -2], ['入社', 4]].forEach(([when, level], k) => {
          const m = new Y.Map<unknown>()
          m.set('id', `moment${k}${i}`)
          m.set('when', when)
          m.set('text', new Y.Text(`秘密の思い出 ${k}`))
          m.set('level', level)
          storyOf(notebook.doc).push([m])
        })
        cardsOf(notebook.doc).set('integrity', 'very')
        cardsOf(notebook.doc).set('fun', 'not')
        cardsOf(notebook.doc).set('custom-mine1', 'important')
        draftsOf(notebook.doc).set('custom-mine1', new Y.Text('見知らぬ人への優しさ'))
      })
    }
    await waitFor(
      () => PEOPLE.every((p, i) => personText(peopleOf(watcher.doc).get(joined[i]!.participantId)!, 'commitment')?.toString() === p.commitment),
      'every edit on the facilitator board',
    )
    // Notebooks are stored before they are relayed; a second reader proves the server has them.
    for (const [i, me] of joined.entries()) {
      const reader = connectDoc(server.wsUrl, notebookRoom(code, me.participantId), me.participantToken)
      clients.push(reader)
      await reader.synced()
      await waitFor(() => storyOf(reader.doc).length === 3 && draftsOf(reader.doc).size === 1, `notebook ${i}`)
    }
  })

  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.destroy()
  })

  const url = (p: string) => `${server.url}/api/workshops/${code}${p}`

  it('gives the facilitator the report with every name, purpose, value, reason and commitment', async () => {
    const res = await download(url('/report.pdf'), facilitator)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; .*filename\*=UTF-8''/)
    const text = pdfText('http-report.pdf', res.bytes)
    const subs = stampSubstitutes('ja')
    const expected = (s: string) => squash(printable(s, face, subs))
    expect(text).toContain(squash(pdf.ja.reportTitle))
    for (const p of PEOPLE) {
      for (const s of [p.name, p.checkin, p.purpose, p.reason, p.commitment, p.autonomy, ...p.values]) expect(text).toContain(expected(s))
    }
    expect(text).toContain('<script>alert(1)</script>')
    expect(text).toContain('[U+1F600]')
    expect(text).toContain('[U+0645]')
    expect(text).not.toContain('秘密の思い出')
    const fonts = pdfFonts('http-report.pdf')
    expect(fonts.length).toBeGreaterThan(0)
    for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+NotoSansJP-\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
  })

  it('renders the report in English and anonymously on request', async () => {
    const res = await download(url('/report.pdf?lang=en&anonymous=1'), facilitator)
    expect(res.status).toBe(200)
    const text = pdfText('http-report-anon.pdf', res.bytes)
    expect(text).toContain(squash(pdf.en.reportTitle))
    expect(text).toContain(squash(pdf.en.anonymousNote))
    for (const p of PEOPLE) {
      expect(text).toContain(squash(p.commitment))
      expect(text).not.toContain(squash(printable(p.name, face)))
    }
  })

  it("gives a participant their own sheet with the notebook, and the facilitator a copy without it", async () => {
    const me = joined[0]!
    const own = await download(url(`/participants/${me.participantId}/sheet.pdf`), me.participantToken)
    expect(own.status).toBe(200)
    expect(own.headers.get('content-type')).toBe('application/pdf')
    const ownText = pdfText('http-sheet-own.pdf', own.bytes)
    const copy = await download(url(`/participants/${me.participantId}/sheet.pdf?lang=en`), facilitator)
    expect(copy.status).toBe(200)
    const copyText = pdfText('http-sheet-facilitator.pdf', copy.bytes)
    const p = PEOPLE[0]!
    for (const t of [ownText, copyText]) for (const s of [p.name, p.purpose, p.reason, p.commitment, p.autonomy, ...p.values]) expect(t).toContain(squash(s))
    expect(ownText).toContain(squash(`${pdf.ja.lifeStory}`))
    expect(ownText).toContain('中学部活')
    expect(ownText).toContain('見知らぬ人への優しさ')
    expect(ownText).toContain('誠実')
    expect(ownText).toContain('共感×1')
    expect(ownText).toContain('応援×1')
    expect(copyText).toContain('Resonates×1')
    expect(copyText).not.toContain(squash(pdf.en.lifeStory))
    expect(copyText).not.toContain('見知らぬ人への優しさ')
  })

  it('renders a sheet of hostile text', async () => {
    const me = joined[2]!
    const res = await download(url(`/participants/${me.participantId}/sheet.pdf?lang=en`), me.participantToken)
    expect(res.status).toBe(200)
    const text = pdfText('http-sheet-hostile.pdf', res.bytes)
    execFileSync('pdftoppm', ['-png', '-r', '60', path.join(ARTIFACTS, 'http-sheet-hostile.pdf'), path.join(ARTIFACTS, 'http-sheet-hostile')])
    const p = PEOPLE[2]!
    for (const s of [p.name, p.purpose, p.reason, p.commitment, ...p.values]) expect(text).toContain(squash(printable(s, face, stampSubstitutes('en'))))
    expect(text).toContain('[Resonates][Inspiring][Cheeringyouon]')
  })

  it('refuses what a token may not have, in the order token → code → role', async () => {
    const [a, b] = joined
    expect((await download(url('/report.pdf'))).status).toBe(401)
    expect((await download(url('/report.pdf'), 'A'.repeat(32))).status).toBe(401)
    expect((await download(`${server.url}/api/workshops/ZZZZZZ/report.pdf`))).toMatchObject({ status: 401 })
    expect((await download(`${server.url}/api/workshops/ZZZZZZ/report.pdf`, facilitator)).status).toBe(404)
    expect((await download(`${server.url}/api/workshops/bad-code!/report.pdf`, facilitator)).status).toBe(404)
    expect((await download(url('/report.pdf'), a!.participantToken)).status).toBe(403)
    expect((await download(url('/export.json'), a!.participantToken)).status).toBe(403)
    expect((await download(url('/sheets.zip'), a!.participantToken)).status).toBe(403)
    expect((await download(url(`/participants/${b!.participantId}/sheet.pdf`), a!.participantToken)).status).toBe(403)
    expect((await download(url('/participants/unknown-pid-123/sheet.pdf'), facilitator)).status).toBe(404)
    const refused = await api<{ error: { code: string } }>(url('/report.pdf?lang=fr'), 'GET', undefined, { authorization: `Bearer ${facilitator}` })
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('INVALID')
    // A lower-case room code is the same workshop.
    expect((await download(`${server.url}/api/workshops/${code.toLowerCase()}/export.json`, facilitator)).status).toBe(200)
    // The token of another workshop is refused on this one.
    const other = await createWorkshop(server.url)
    expect((await download(url('/report.pdf'), other.facilitatorToken)).status).toBe(403)
    const body = await api<{ error: { code: string } }>(url(`/participants/${b!.participantId}/sheet.pdf`), 'GET', undefined, { authorization: `Bearer ${a!.participantToken}` })
    expect(body.body.error.code).toBe('FORBIDDEN')
  })

  it('exports every board item with its ids as JSON, never a notebook', async () => {
    const res = await api<any>(url('/export.json'), 'GET', undefined, { authorization: `Bearer ${facilitator}` })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const j = res.body
    expect(Object.keys(j)).toEqual(['protocol', 'exportedAt', 'workshop', 'phases', 'roster', 'vision', 'people'])
    expect(j.protocol).toBe(1)
    expect(j.workshop.code).toBe(code)
    expect(j.phases.map((p: { kind: string }) => p.kind)).toContain('connect')
    expect(j.roster.map((r: { name: string }) => r.name)).toEqual(PEOPLE.map((p) => p.name))
    expect(j.vision).toHaveLength(2)
    const first = j.people[0]
    expect(first.purpose).toBe(PEOPLE[0]!.purpose)
    expect(first.values.map((v: { text: string }) => v.text)).toEqual(PEOPLE[0]!.values)
    expect(first.links.map((l: { id: string }) => l.id).sort()).toEqual(['lnk-a-0abcd', 'lnk-b-0abcd'])
    expect(first.stampsReceived).toEqual({ resonates: 1, inspiring: 0, cheering: 1 })
    expect(j.people[1].reactions).toEqual([{ to: joined[0]!.participantId, stamp: 'resonates' }])
    const raw = JSON.stringify(j)
    expect(raw).not.toContain('秘密の思い出')
    expect(raw).not.toContain('見知らぬ人への優しさ')
    expect(raw).not.toContain(facilitator)
  })

  it('zips every sheet with safe, unique names', async () => {
    const res = await download(url('/sheets.zip?lang=en'), facilitator)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/zip')
    const zip = await JSZip.loadAsync(res.bytes)
    const names = Object.keys(zip.files).sort()
    expect(names).toHaveLength(PEOPLE.length)
    names.forEach((n, i) => {
      expect(n).toMatch(new RegExp(`^0${i + 1}-[^/\\\\:*?"<>|]+-${joined[i]!.participantId}\\.pdf$`))
    })
    for (const n of names) {
      const bytes = Buffer.from(await zip.file(n)!.async('uint8array'))
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    }
    const text = pdfText('http-zip-sheet.pdf', Buffer.from(await zip.file(names[0]!)!.async('uint8array')))
    expect(text).toContain(squash(PEOPLE[0]!.commitment))
    expect(text).not.toContain('見知らぬ人への優しさ')
  })

  it('answers 404 for the sheet of a removed participant', async () => {
    const extra = await joinWorkshop(server.url, code, 'Leaving soon')
    expect((await download(url(`/participants/${extra.participantId}/sheet.pdf`), facilitator)).status).toBe(200)
    const control = connectControl(server.url, facilitator)
    try {
      await control.until(() => true, 'first state')
      expect(await control.send('participant:remove', { participantId: extra.participantId })).toEqual({ ok: true })
    } finally {
      control.close()
    }
    expect((await download(url(`/participants/${extra.participantId}/sheet.pdf`), facilitator)).status).toBe(404)
  })
})

// The routes alone on a bare express app, with the real SQLite store and the API's code guard:
// what the whole node does not show (the miss limit, metrics, logs).
describe('export routes with the code guard', async () => {
  const { default: express } = await import('express')
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { SqliteStore } = await import('../../server/store/sqlite.js')
  const { CodeGuard } = await import('../../server/http/code-guard.js')
  const { LocalBus } = await import('../../server/bus/local.js')
  const { exportRoutes } = await import('../../server/export/routes.js')
  const { hashToken, newToken } = await import('../../server/auth.js')
  const { buildSample } = await import('../../server/export/sample.js')

  let dir: string
  let store: InstanceType<typeof SqliteStore>
  let base: string
  let close: () => Promise<void>
  const lines: string[] = []
  const observed: [string, number][] = []
  const token = newToken()
  const sample = buildSample({ participants: 3, maxText: false })

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kasane-export-'))
    store = new SqliteStore(dir)
    const w = sample.input.workshop
    await store.createWorkshop({
      code: w.code, title: w.title, locale: w.locale, template: w.template, facilitatorTokenHash: hashToken(token),
      control: { phases: [], phaseIndex: 0, timer: { status: 'idle', endsAt: null, remainingMs: 0 }, locked: false, ended: false, focus: null, ready: {}, groups: {} },
      createdAt: w.createdAt, lastActivity: w.createdAt,
    })
    for (const p of sample.input.roster) {
      await store.addParticipant({ code: w.code, participantId: p.participantId, name: p.name, color: p.color, tokenHash: hashToken(newToken()), joinedAt: p.joinedAt }, 100)
    }
    const app = express()
    app.use(
      exportRoutes({
        store,
        readDoc: async (name) => (name === w.code ? sample.board : sample.notebooks.get(name.split('/')[2]!) ?? new Y.Doc()),
        identify: async (t) => {
          const owner = await store.findToken(hashToken(t))
          if (!owner) return null
          return owner.role === 'facilitator' ? { role: 'facilitator', code: owner.code, participantId: null } : owner
        },
        log: { debug: (m, f) => lines.push(JSON.stringify({ m, f })), info: (m, f) => lines.push(JSON.stringify({ m, f })), warn: (m, f) => lines.push(JSON.stringify({ m, f })), error: (m, f) => lines.push(JSON.stringify({ m, f })) },
        observe: (kind, ms) => observed.push([kind, ms]),
        guard: new CodeGuard(new LocalBus()),
      }),
    )
    const listening = app.listen(0, '127.0.0.1')
    await new Promise<void>((r) => listening.once('listening', () => r()))
    base = `http://127.0.0.1:${(listening.address() as { port: number }).port}`
    close = () => new Promise<void>((r) => listening.close(() => r()))
  })

  afterAll(async () => {
    await close?.()
    await store?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('measures every export and logs ids and sizes, never what people wrote', async () => {
    const code = sample.input.workshop.code
    for (const p of ['/report.pdf', '/export.json', `/participants/${sample.input.roster[0]!.participantId}/sheet.pdf`, '/sheets.zip']) {
      expect((await download(`${base}/api/workshops/${code}${p}`, token)).status).toBe(200)
    }
    expect(observed.map(([k]) => k)).toEqual(['report', 'json', 'sheet', 'zip'])
    for (const [, ms] of observed) expect(ms).toBeGreaterThan(0)
    const log = lines.join('\n')
    expect(log).toContain('"kind":"report"')
    for (const r of sample.input.roster) expect(log).not.toContain(r.name)
    for (const p of sample.input.people) expect(log).not.toContain(p.purpose.slice(0, 10))
    expect(log).not.toContain(sample.input.workshop.title)
    expect(log).not.toContain(token)
  })

  it('answers unknown and malformed codes alike, then 429 for every code after 30 misses', async () => {
    const a = await api(`${base}/api/workshops/ZZZZZ9/report.pdf`, 'GET', undefined, { authorization: `Bearer ${token}` })
    const b = await api(`${base}/api/workshops/0O1I!!/report.pdf`, 'GET', undefined, { authorization: `Bearer ${token}` })
    expect(a.status).toBe(404)
    expect(b).toMatchObject({ status: 404, body: a.body })
    let last = 0
    // Two misses above, thirty more: the limit (30 a minute) is passed.
    for (let i = 0; i < 30; i++) last = (await download(`${base}/api/workshops/ZZZZ${'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[i]}Z/export.json`, token)).status
    expect(last).toBe(429)
    const hit = await download(`${base}/api/workshops/${sample.input.workshop.code}/export.json`, token)
    expect(hit.status).toBe(429)
    expect(Number(hit.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
