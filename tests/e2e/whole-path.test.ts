// The whole path through real Chromium: a participant types the room code and a name on the home
// page, sees the phase change when the facilitator moves on, keeps their identity over a refresh;
// unknown and ended workshops are told in words; the facilitator console opens from its link.
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { hasChromium, launchBrowser, PHONE, DESKTOP } from '../support/browser'
import { connectControl, type ControlClient } from '../support/control'
import { createWorkshop, startServer, waitFor, type TestServer } from '../support/server'

const ART = 'tests/artifacts/whole-path'

describe.skipIf(!hasChromium)('whole path in the browser', () => {
  let server: TestServer
  let browser: Browser
  let fac: ControlClient
  let code = ''
  let facilitatorUrl = ''

  beforeAll(async () => {
    mkdirSync(ART, { recursive: true })
    server = await startServer()
    const ws = await createWorkshop(server.url, { locale: 'en', title: 'Spring purpose session' })
    code = ws.code
    facilitatorUrl = ws.facilitatorUrl
    fac = connectControl(server.url, ws.facilitatorToken)
    await fac.until((s) => s.phases.length > 1, 'facilitator state')
    browser = await launchBrowser()
  })

  afterAll(async () => {
    fac?.close()
    await browser?.close()
    await server?.destroy()
  })

  async function phone(): Promise<Page> {
    const ctx = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })
    return ctx.newPage()
  }

  it('joins by typing the code, follows the phase, and keeps its identity over a refresh', async () => {
    const page = await phone()
    await page.goto(`${server.url}/?lang=en`)
    await page.getByLabel('Room code').fill(code.toLowerCase())
    await page.getByLabel('Your name').fill('Aiko')
    await page.getByRole('button', { name: 'Join' }).click()

    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/j/${code}`)
    const stored = await page.evaluate((c) => localStorage.getItem(`kasane:${c}:participant`), code)
    const creds = JSON.parse(stored!) as { participantId: string; token: string }
    expect(creds.participantId).toMatch(/^[A-Za-z0-9_-]{8,32}$/)
    const joined = await fac.until((s) => s.roster.some((r) => r.name === 'Aiko' && r.online), 'Aiko online')
    expect(joined.roster.find((r) => r.name === 'Aiko')!.participantId).toBe(creds.participantId)
    await page.screenshot({ path: `${ART}/joined-375.png`, fullPage: true })

    expect(await fac.send('phase:goto', { index: 1 })).toEqual({ ok: true })
    await page.getByRole('heading', { level: 1, name: 'Your life story' }).waitFor()
    expect(await fac.send('timer:start', { seconds: 120 })).toEqual({ ok: true })
    await waitFor(async () => /1:5\d|2:00/.test((await page.getByRole('timer').textContent()) ?? ''), 'countdown shows about two minutes')

    await page.setViewportSize(DESKTOP)
    await page.screenshot({ path: `${ART}/participant-1440.png` })
    await page.setViewportSize(PHONE)

    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Your life story' }).waitFor()
    expect(await page.getByLabel('Your name').count()).toBe(0)
    const after = await fac.until((s) => s.roster.filter((r) => r.online).length === 1 && s.roster.length === 1, 'still one participant')
    expect(after.roster[0]!.participantId).toBe(creds.participantId)
    await page.context().close()
  })

  it('shows the home page in the browser language (Japanese here) on a phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, locale: 'ja-JP' })
    const page = await ctx.newPage()
    await page.goto(`${server.url}/`)
    await page.getByLabel('ルームコード').waitFor()
    await page.getByRole('button', { name: '参加する' }).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${ART}/home-ja-375.png`, fullPage: true })
    await ctx.close()
  })

  it('tells an unknown code clearly after submitting', async () => {
    const page = await phone()
    await page.goto(`${server.url}/j/ZZZZZZ?lang=en`)
    await page.getByLabel('Your name').fill('Ken')
    await page.getByRole('button', { name: 'Join' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toContain('No workshop has the code ZZZZZZ')
    await page.context().close()
  })

  it('tells that an ended workshop cannot be joined, in Japanese too', async () => {
    const other = await createWorkshop(server.url, { locale: 'ja' })
    const f = connectControl(server.url, other.facilitatorToken)
    await f.until(() => true, 'state')
    expect(await f.send('workshop:end', {})).toEqual({ ok: true })
    f.close()
    const page = await phone()
    await page.goto(`${server.url}/j/${other.code}`)
    await page.getByLabel('お名前').fill('花子')
    await page.getByRole('button', { name: '参加する' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toContain('終了しました')
    await page.context().close()
  })

  it('tells a removed participant, and offers to join again', async () => {
    const page = await phone()
    await page.goto(`${server.url}/j/${code}?lang=en`)
    await page.getByLabel('Your name').fill('Goro')
    await page.getByRole('button', { name: 'Join' }).click()
    await page.getByRole('heading', { level: 1 }).waitFor()
    const s = await fac.until((x) => x.roster.some((r) => r.name === 'Goro' && r.online), 'Goro online')
    const goro = s.roster.find((r) => r.name === 'Goro')!
    expect(await fac.send('participant:remove', { participantId: goro.participantId })).toEqual({ ok: true })
    await page.getByText('You are no longer in this workshop').waitFor()
    await page.getByRole('button', { name: 'Join again' }).click()
    await page.getByLabel('Your name').waitFor()
    await page.context().close()
  })

  it('tells everyone when the workshop is deleted', async () => {
    const other = await createWorkshop(server.url, { locale: 'en' })
    const page = await phone()
    await page.goto(`${server.url}/j/${other.code}?lang=en`)
    await page.getByLabel('Your name').fill('Hana')
    await page.getByRole('button', { name: 'Join' }).click()
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor()
    const res = await fetch(`${server.url}/api/workshops/${other.code}`, { method: 'DELETE', headers: { Authorization: `Bearer ${other.facilitatorToken}` } })
    expect(res.status).toBe(204)
    await page.getByText('This workshop is gone').waitFor()
    await page.context().close()
  })

  it('opens the facilitator console from its link and keeps the token out of the address', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP })
    const page = await ctx.newPage()
    const link = new URL(facilitatorUrl)
    await page.goto(`${server.url}${link.pathname}${link.hash}`)
    await page.getByText(code, { exact: true }).first().waitFor()
    await page.getByRole('button', { name: /Next phase/ }).waitFor()
    expect(page.url()).not.toContain('token')
    const token = await page.evaluate((c) => localStorage.getItem(`kasane:${c}:facilitator`), code)
    expect(token).toBeTruthy()
    await page.reload()
    await page.getByRole('button', { name: /Next phase/ }).waitFor()
    await ctx.close()
  })
})
