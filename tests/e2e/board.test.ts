// The board in real Chromium: two participants' values and a purpose, a link made by tapping on a
// phone and one by dragging on a desktop (each after asking the reason), a card moved with one
// position write, undo, presence, the locked state; the facilitator's board shows all of it.
// Then 60 participants and 150 links, panned while frame times are logged (not asserted).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createValue, linksOf, peopleOf, personText, readPeople, readVision, valuesOf, VALUE } from '../../shared/layout'
import { boardRoom } from '../../shared/protocol'
import { DESKTOP, hasChromium, launchBrowser, PHONE, axeFindings } from '../support/browser'
import { connectControl, type ControlClient } from '../support/control'
import { createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server'
import { connectDoc, type Client } from '../support/yjs'
import WebSocket from 'ws'
import { YRoom } from '../../client/src/net/yroom'

const ART = 'tests/artifacts/board'


type Person = { name: string; participantId: string; token: string; doc: Client }

describe.skipIf(!hasChromium)('the board', () => {
  let server: TestServer
  let browser: Browser
  let fac: ControlClient
  let facDoc: Client
  let code = ''
  let facilitatorToken = ''
  const contexts: BrowserContext[] = []
  const clients: Client[] = []
  let aiko: Person
  let ben: Person
  let facPage: Page

  async function open(person: Person | null, viewport: typeof PHONE, touch: boolean): Promise<Page> {
    // bypassCSP: axe-core is injected as a script, which the pages' CSP would refuse.
    const ctx = await browser.newContext({ viewport, hasTouch: touch, isMobile: touch, bypassCSP: true })
    contexts.push(ctx)
    const key = person ? `kasane:${code}:participant` : `kasane:${code}:facilitator`
    const value = person ? JSON.stringify({ participantId: person.participantId, token: person.token }) : facilitatorToken
    await ctx.addInitScript(([k, v]) => window.localStorage.setItem(k!, v!), [key, value])
    const page = await ctx.newPage()
    await page.goto(`${server.url}/${person ? 'j' : 'f'}/${code}?lang=en`)
    await page.locator('.board-view').waitFor({ timeout: 8000 }).catch(async (e) => {
      await page.screenshot({ path: `${ART}/failed-open.png`, fullPage: true })
      throw e
    })
    return page
  }

  async function person(name: string): Promise<Person> {
    const j = await joinWorkshop(server.url, code, name)
    const doc = connectDoc(server.wsUrl, boardRoom(code), j.participantToken)
    clients.push(doc)
    await doc.synced()
    return { name, participantId: j.participantId, token: j.participantToken, doc }
  }

  function publish(p: Person, values: string[], purpose = ''): string[] {
    const entry = peopleOf(p.doc.doc).get(p.participantId)!
    const ids = values.map((_, i) => `${p.participantId.slice(0, 8)}-v${i}`)
    p.doc.doc.transact(() => {
      values.forEach((text, i) => valuesOf(entry)!.set(ids[i]!, createValue(text, (i + 1) as 1 | 2 | 3, { x: 0, y: 0 })))
      if (purpose) personText(entry, 'purpose')!.insert(0, purpose)
    })
    return ids
  }

  const linksOfPerson = (doc: Y.Doc, id: string) => readPeople(doc).find((p) => p.participantId === id)?.links ?? []

  beforeAll(async () => {
    mkdirSync(ART, { recursive: true })
    server = await startServer()
    const ws = await createWorkshop(server.url, { locale: 'en', vision: [{ title: 'Make work joyful' }, { title: 'Grow together' }, { title: 'Care for the planet' }] })
    code = ws.code
    facilitatorToken = ws.facilitatorToken
    fac = connectControl(server.url, facilitatorToken)
    await fac.until(() => true, 'state')
    facDoc = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    clients.push(facDoc)
    await facDoc.synced()
    aiko = await person('Aiko')
    ben = await person('Ben')
    browser = await launchBrowser()
  })

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    for (const c of clients) c.destroy()
    fac?.close()
    await browser?.close()
    await server?.destroy()
  })

  it('shows published values and purposes to everyone, as real SVG text', async () => {
    publish(aiko, ['Curiosity', 'Family'], 'To spark curiosity so that every child loves learning')
    publish(ben, ['Courage', 'Trust', 'Fun'])
    facPage = await open(null, DESKTOP, false)
    await facPage.getByRole('button', { name: 'Value “Curiosity” by Aiko' }).waitFor()
    await facPage.getByRole('button', { name: 'Value “Fun” by Ben' }).waitFor()
    await facPage.getByRole('button', { name: /^Purpose of Aiko: To spark curiosity/ }).waitFor()
    const texts = await facPage.locator('.board-svg text').allTextContents()
    expect(texts.join(' ')).toContain('Courage')
    expect(texts.join(' ')).toContain('Make work joyful')
  })

  it('links a value to a vision item by tapping one then the other on a phone, after asking the reason', async () => {
    const phone = await open(aiko, PHONE, true)
    await phone.getByRole('button', { name: 'Value “Curiosity” by Aiko' }).waitFor()
    await phone.getByRole('button', { name: 'Fit everything' }).tap()
    await phone.getByRole('button', { name: 'Value “Curiosity” by Aiko' }).tap()
    await phone.getByText('Now tap the vision item to link “Curiosity” to.').waitFor()
    await phone.getByRole('button', { name: 'Link to “Make work joyful”' }).tap()
    await phone.getByLabel('Reason').fill('Learning is joy')
    await phone.screenshot({ path: `${ART}/reason-375.png` })
    await phone.getByRole('dialog').getByRole('button', { name: 'Link', exact: true }).tap()

    const joyful = readVision(facDoc.doc).find((v) => v.title === 'Make work joyful')!
    const links = await waitFor(() => {
      const l = linksOfPerson(facDoc.doc, aiko.participantId)
      return l.length === 1 ? l : null
    }, 'link on the server')
    expect(links[0]).toMatchObject({ from: `${aiko.participantId.slice(0, 8)}-v0`, to: joyful.id, reason: 'Learning is joy' })
    expect(links[0]!.id).toMatch(/^[A-Za-z0-9_-]{8,32}$/)
    expect(links[0]!.id).not.toBe('purpose')
    await facPage.locator('.link').first().waitFor()
    expect(await facPage.locator('.link title').first().textContent()).toContain('Learning is joy')
    await phone.screenshot({ path: `${ART}/board-375.png` })
    expect(await axeFindings(phone)).toEqual([])
    expect(await axeFindings(facPage)).toEqual([])
  })

  it('links by dragging the dot onto a vision item on a desktop, and undoes it', async () => {
    const page = await open(ben, DESKTOP, false)
    const card = page.getByRole('button', { name: 'Value “Courage” by Ben' })
    await card.waitFor()
    const dot = page.locator('g.card').filter({ has: card }).locator('[data-handle] circle').last()
    const from = (await dot.boundingBox())!
    const to = (await page.getByRole('button', { name: 'Vision: Grow together' }).boundingBox())!
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 })
    await page.mouse.up()
    await page.getByLabel('Reason').fill('Courage to grow')
    await page.getByRole('dialog').getByRole('button', { name: 'Link', exact: true }).click()
    await waitFor(() => linksOfPerson(facDoc.doc, ben.participantId).some((l) => l.reason === 'Courage to grow'), 'dragged link')
    await waitFor(async () => (await facPage.locator('.link').count()) === 2, 'two links on the facilitator board')

    // The facilitator sees Ben's cursor with his name.
    const view = (await page.locator('.board-view').boundingBox())!
    await page.mouse.move(view.x + 100, view.y + 200)
    await page.mouse.move(view.x + 140, view.y + 220, { steps: 3 })
    await facPage.locator('.cursor', { hasText: 'Ben' }).waitFor()

    await page.getByRole('button', { name: 'Undo' }).click()
    await waitFor(() => linksOfPerson(facDoc.doc, ben.participantId).length === 0, 'link undone')
    await page.getByRole('button', { name: 'Redo' }).click()
    await waitFor(() => linksOfPerson(facDoc.doc, ben.participantId).length === 1, 'link redone')
  })

  it('links by keyboard alone', async () => {
    const page = await open(ben, DESKTOP, false)
    const trust = page.getByRole('button', { name: 'Value “Trust” by Ben' })
    await trust.focus()
    await page.keyboard.press('Enter')
    await page.getByText('Now tap the vision item to link “Trust” to.').waitFor()
    await page.getByRole('button', { name: 'Link to “Care for the planet”' }).focus()
    await page.keyboard.press('Enter')
    await page.getByLabel('Reason').fill('Trust keeps promises to the planet')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Link')
    await page.keyboard.press('Enter')
    await waitFor(() => linksOfPerson(facDoc.doc, ben.participantId).some((l) => l.reason === 'Trust keeps promises to the planet'), 'keyboard link')
  })

  it('zooms with the mouse wheel and with two fingers', async () => {
    const scale = (page: Page) => page.locator('.board-layer').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a)
    const desk = await open(ben, DESKTOP, false)
    await desk.getByRole('button', { name: 'Value “Trust” by Ben' }).waitFor()
    const view = (await desk.locator('.board-view').boundingBox())!
    await desk.mouse.move(view.x + view.width / 2, view.y + view.height / 2)
    const before = await scale(desk)
    await desk.mouse.wheel(0, -300)
    await waitFor(async () => (await scale(desk)) > before * 1.2, 'wheel zooms in')

    const phone = await open(aiko, PHONE, true)
    await phone.getByRole('button', { name: 'Value “Curiosity” by Aiko' }).waitFor()
    await phone.locator('.board-view').scrollIntoViewIfNeeded()
    const box = (await phone.locator('.board-view').boundingBox())!
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2
    const start = await scale(phone)
    const cdp = await phone.context().newCDPSession(phone)
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', d: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }],
      })
    await touch('touchStart', 30)
    for (let d = 40; d <= 120; d += 10) await touch('touchMove', d)
    await touch('touchEnd', 0)
    await waitFor(async () => (await scale(phone)) > start * 2, 'pinch zooms in')
  })

  it('moves an own card with a single position write', async () => {
    const page = await open(ben, DESKTOP, false)
    const entry = peopleOf(facDoc.doc).get(ben.participantId)!
    const value = valuesOf(entry)!.get(`${ben.participantId.slice(0, 8)}-v2`)!
    let writes = 0
    value.observe((e) => e.keysChanged.has(VALUE.pos) && writes++)
    const box = (await page.getByRole('button', { name: 'Value “Fun” by Ben' }).boundingBox())!
    await page.mouse.move(box.x + 20, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + 120, box.y + 140, { steps: 20 })
    await page.mouse.up()
    await waitFor(() => writes === 1, 'one position write')
    const pos = value.get(VALUE.pos) as { x: number; y: number }
    expect(Number.isFinite(pos.x) && (pos.x !== 0 || pos.y !== 0)).toBe(true)
    await facPage.screenshot({ path: `${ART}/facilitator-1440.png` })
    expect(writes).toBe(1)
  })

  it('tells participants the board is locked and offers no way to edit it', async () => {
    const phone = await open(aiko, PHONE, true)
    await phone.getByRole('button', { name: 'Value “Curiosity” by Aiko' }).waitFor()
    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    await phone.getByText('Board locked').waitFor()
    await waitFor(async () => (await phone.locator('[data-handle]').count()) === 0, 'no link handles')
    await phone.getByRole('button', { name: 'Value “Curiosity” by Aiko' }).tap()
    expect(await phone.getByText(/Now tap the vision item/).count()).toBe(0)
    expect(await fac.send('board:lock', { locked: false })).toEqual({ ok: true })
  })

  it("brings everyone to the facilitator's view until released", async () => {
    const phone = await open(aiko, PHONE, true)
    await phone.getByRole('button', { name: 'Value “Curiosity” by Aiko' }).waitFor()
    const before = await phone.locator('.board-layer').evaluate((el) => (el as HTMLElement).style.transform)
    await facPage.getByRole('button', { name: 'Bring everyone to me' }).click()
    const focus = (await fac.until((s) => s.focus !== null, 'focus')).focus!
    await phone.getByText('Following the facilitator’s view').waitFor()
    await waitFor(async () => (await phone.locator('.board-layer').evaluate((el) => (el as HTMLElement).style.transform)) !== before, 'view moved')
    // The phone now centres the facilitator's point.
    const centre = await phone.locator('.board-view').evaluate((el, f) => {
      const layer = el.querySelector('.board-layer') as HTMLElement
      const m = new DOMMatrix(getComputedStyle(layer).transform)
      const r = el.getBoundingClientRect()
      return { x: (r.width / 2 - m.e) / m.a - f.x, y: (r.height / 2 - m.f) / m.d - f.y }
    }, focus)
    expect(Math.abs(centre.x)).toBeLessThan(2)
    expect(Math.abs(centre.y)).toBeLessThan(2)
    await facPage.getByRole('button', { name: 'Release everyone' }).click()
    await phone.getByText('Following the facilitator’s view').waitFor({ state: 'detached' })
  })
})

describe.skipIf(!hasChromium)('a board with 60 people and 150 links', () => {
  let server: TestServer
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.destroy()
  })

  it('pans; frame times are logged', async () => {
    const ws = await createWorkshop(server.url, { locale: 'ja', vision: Array.from({ length: 8 }, (_, i) => ({ title: `ビジョン ${i + 1}：お客様の毎日に笑顔を` })) })
    const ids: string[] = []
    for (let i = 0; i < 60; i++) ids.push((await joinWorkshop(server.url, ws.code, `参加者${i + 1}`)).participantId)
    const fdoc = connectDoc(server.wsUrl, boardRoom(ws.code), ws.facilitatorToken)
    await fdoc.synced()
    const vision = readVision(fdoc.doc).map((v) => v.id)
    let links = 0
    fdoc.doc.transact(() => {
      ids.forEach((pid, i) => {
        const entry = peopleOf(fdoc.doc).get(pid)!
        for (let r = 0; r < 3; r++) valuesOf(entry)!.set(`${pid.slice(0, 8)}v${r}`, createValue(['挑戦', '誠実', '成長', 'Curiosity', '家族'][(i + r) % 5]!, (r + 1) as 1 | 2 | 3, { x: 0, y: 0 }))
        personText(entry, 'purpose')!.insert(0, `人の可能性を信じ、挑戦する人を支えるために存在し、誰もが自分らしく働ける社会を実現したい（${i + 1}）`)
        const n = i < 30 ? 3 : 2
        for (let k = 0; k < n && links < 150; k++, links++) {
          linksOf(entry)!.set(`${pid.slice(0, 8)}l${k}`, { from: k === 0 ? 'purpose' : `${pid.slice(0, 8)}v${k}`, to: vision[(i + k) % vision.length]!, reason: '重なるから' })
        }
      })
    })
    await waitFor(() => fdoc.provider.synced, 'sent')
    const ctx = await browser.newContext({ viewport: DESKTOP })
    await ctx.addInitScript(([k, v]) => window.localStorage.setItem(k!, v!), [`kasane:${ws.code}:facilitator`, ws.facilitatorToken])
    const page = await ctx.newPage()
    await page.goto(`${server.url}/f/${ws.code}`)
    await waitFor(async () => (await page.locator('.link').count()) === 150, '150 links drawn', 20_000)
    expect(await page.locator('.card-value').count()).toBe(180)
    await page.getByRole('button', { name: '拡大' }).click()
    await page.getByRole('button', { name: '拡大' }).click()

    const box = (await page.locator('.board-view').boundingBox())!
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean }
      w.__frames = []
      w.__stop = false
      let last = performance.now()
      const tick = (now: number) => {
        w.__frames.push(now - last)
        last = now
        if (!w.__stop) requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2
    for (let round = 0; round < 4; round++) {
      const dir = round % 2 === 0 ? 1 : -1
      await page.mouse.move(cx - 300 * dir, cy - 150 * dir)
      await page.mouse.down()
      await page.mouse.move(cx + 300 * dir, cy + 150 * dir, { steps: 40 })
      await page.mouse.up()
    }
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean }
      w.__stop = true
      return w.__frames.slice(1)
    })
    const sorted = [...frames].sort((a, b) => a - b)
    const avg = frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length)
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0
    console.log(`board pan, 60 people / 180 values / 150 links: ${frames.length} frames, avg ${avg.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`)
    await page.getByRole('button', { name: '全体を表示' }).click()
    await page.screenshot({ path: `${ART}/sixty-1440.png` })
    await page.getByRole('button', { name: '拡大' }).click()
    await page.getByRole('button', { name: '拡大' }).click()
    await page.getByRole('button', { name: '拡大' }).click()
    await page.screenshot({ path: `${ART}/sixty-zoomed-1440.png` })
    expect(frames.length).toBeGreaterThan(10)
    fdoc.destroy()
    await ctx.close()
  })
})

// The board connection the pages use, driven from Node against a real server: every close code
// that ends or restarts it.
describe('board connection close codes', () => {
  let server: TestServer
  const rooms: YRoom[] = []
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    for (const r of rooms) r.destroy()
    await server?.destroy()
  })
  const open = (code: string, token: string) => {
    const r = new YRoom(boardRoom(code), token, { origin: server.wsUrl, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket })
    rooms.push(r)
    return r
  }

  it('after a refused write (4403) starts over with a fresh document, says so, and syncs again', async () => {
    const ws = await createWorkshop(server.url)
    const fac = connectControl(server.url, ws.facilitatorToken)
    await fac.until(() => true, 'state')
    const j = await joinWorkshop(server.url, ws.code, 'Aiko')
    const room = open(ws.code, j.participantToken)
    await waitFor(() => room.getSnapshot().synced, 'first sync')
    const first = room.getSnapshot().doc
    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    personText(peopleOf(first).get(j.participantId)!, 'checkin')!.insert(0, 'locked out')
    await waitFor(() => room.getSnapshot().notice?.kind === 'forbidden', 'forbidden notice')
    const second = room.getSnapshot().doc
    expect(second).not.toBe(first)
    await waitFor(() => room.getSnapshot().synced, 'synced again')
    expect(personText(peopleOf(second).get(j.participantId)!, 'checkin')!.toString()).toBe('')
    expect(room.getSnapshot().ended).toBeNull()
    fac.close()
  })

  it('ends as removed on 4401 and as gone on 4404', async () => {
    const ws = await createWorkshop(server.url)
    const fac = connectControl(server.url, ws.facilitatorToken)
    await fac.until(() => true, 'state')
    const a = await joinWorkshop(server.url, ws.code, 'Aiko')
    const b = await joinWorkshop(server.url, ws.code, 'Ben')
    const ra = open(ws.code, a.participantToken)
    const rb = open(ws.code, b.participantToken)
    await waitFor(() => ra.getSnapshot().synced && rb.getSnapshot().synced, 'both synced')
    expect(await fac.send('participant:remove', { participantId: a.participantId })).toEqual({ ok: true })
    await waitFor(() => ra.getSnapshot().ended === 'removed', 'removed')
    expect(rb.getSnapshot().ended).toBeNull()
    const res = await fetch(`${server.url}/api/workshops/${ws.code}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ws.facilitatorToken}` } })
    expect(res.status).toBe(204)
    await waitFor(() => rb.getSnapshot().ended === 'gone', 'gone')
    fac.close()
  })
})
