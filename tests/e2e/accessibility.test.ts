// Every phase of the participant's page, with something written in it, checked by axe-core at
// phone size in both languages: no serious or critical violations.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { peopleOf } from '../../shared/layout'
import { boardRoom } from '../../shared/protocol'
import { hasChromium, launchBrowser, PHONE, axeFindings } from '../support/browser'
import { connectControl, type ControlClient } from '../support/control'
import { createWorkshop, joinWorkshop, startServer, type TestServer } from '../support/server'
import { connectDoc, type Client } from '../support/yjs'
import type * as Y from 'yjs'

const KINDS = ['checkin', 'story', 'values', 'purpose', 'connect', 'share', 'commit', 'close'] as const


describe.skipIf(!hasChromium)('accessibility of every phase', () => {
  let server: TestServer
  let browser: Browser
  const controls: ControlClient[] = []
  const clients: Client[] = []

  beforeAll(async () => {
    mkdirSync('tests/artifacts/a11y', { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const c of controls) c.close()
    for (const c of clients) c.destroy()
    await browser?.close()
    await server?.destroy()
  })

  for (const lang of ['en', 'ja'] as const) {
    it(`has no serious or critical violations in any phase (${lang})`, async () => {
      const ws = await createWorkshop(server.url, { locale: lang })
      const fac = connectControl(server.url, ws.facilitatorToken)
      controls.push(fac)
      await fac.until((s) => s.phases.length === KINDS.length, 'facilitator state')
      const me = await joinWorkshop(server.url, ws.code, 'Aoi')
      // Someone else with a purpose, so that the share phase has stamps to give.
      const other = await joinWorkshop(server.url, ws.code, 'Ren')
      const board = connectDoc(server.wsUrl, boardRoom(ws.code), other.participantToken)
      clients.push(board)
      await board.synced()
      ;(peopleOf(board.doc).get(other.participantId)!.get('purpose') as Y.Text).insert(0, lang === 'ja' ? '学びを楽しくする' : 'To make learning joyful')

      // The page's CSP (script-src 'self') would refuse the injected axe script.
      const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, bypassCSP: true })
      await context.addInitScript(
        ([key, value]) => window.localStorage.setItem(key!, value!),
        [`kasane:${ws.code}:participant`, JSON.stringify({ participantId: me.participantId, token: me.participantToken })],
      )
      const page = await context.newPage()
      await page.goto(`${server.url}/j/${ws.code}?lang=${lang}`)
      const found: string[] = []
      for (const kind of KINDS) {
        const index = fac.last()!.phases.findIndex((p) => p.kind === kind)
        expect(await fac.send('phase:goto', { index })).toEqual({ ok: true })
        await page.locator(`[data-phase-kind="${kind}"]`).waitFor()
        if (kind === 'story') {
          // By keyboard: the button takes focus visibly and Enter adds a moment, focusing its date.
          await page.getByTestId('add-moment').focus()
          await page.keyboard.press('Shift+Tab')
          await page.keyboard.press('Tab')
          expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('add-moment')
          expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none')
          await page.keyboard.press('Enter')
          await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('moment-when')
          await page.keyboard.type('2010')
          await page.getByTestId('moment-text').last().fill('A moment')
        }
        if (kind === 'values') {
          for (let i = 0; i < 4; i++) await page.getByTestId('sort-very').click()
          await page.locator('[data-pick]').first().click()
          await page.getByTestId('values-publish').click()
          await page.getByTestId('values-published').waitFor()
        }
        if (kind === 'purpose') {
          await page.getByTestId('frame-a').fill(lang === 'ja' ? '人の挑戦' : 'help people try')
          await page.getByTestId('frame-b').fill(lang === 'ja' ? '誰もが学べる社会' : 'everyone can learn')
          await page.getByTestId('frame-use').click()
          await page.getByTestId('purpose-publish').first().click()
          await page.getByTestId('purpose-published').waitFor()
        }
        if (kind === 'connect') {
          await page.getByTestId('link-from').selectOption({ index: 1 })
          await page.getByTestId('link-to').selectOption({ index: 1 })
          await page.getByTestId('link-add').click()
          await page.getByTestId('link').waitFor()
        }
        for (const v of await axeFindings(page)) found.push(`${kind}: ${v}`)
        await page.screenshot({ path: `tests/artifacts/a11y/${lang}-${kind}-375.png`, fullPage: true })
      }
      await context.close()
      expect(found).toEqual([])
    })
  }
})
