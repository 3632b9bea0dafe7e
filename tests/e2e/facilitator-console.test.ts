// The facilitator's console in real Chromium: create a workshop through the home page, step
// through phases, run the timer, lock and unlock the board, make groups, show the code full
// screen, remove someone; screenshots at 1440 and 375 px and of the projector view.
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { DESKTOP, hasChromium, launchBrowser, PHONE, axeFindings } from '../support/browser'
import { connectControl, type ControlClient } from '../support/control'
import { joinWorkshop, startServer, waitFor, type TestServer } from '../support/server'

const ART = 'tests/artifacts/facilitator'


describe.skipIf(!hasChromium)('facilitator console', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let code = ''
  const people: ControlClient[] = []
  const names = ['Aiko', 'Ben', 'Chika', 'Daichi', 'Emi']

  const last = () => people[0]!.last()!

  beforeAll(async () => {
    mkdirSync(ART, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    // axe-core is injected as a script, which the pages' CSP would refuse.
    page = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage()
  })

  afterAll(async () => {
    for (const p of people) p.close()
    await browser?.close()
    await server?.destroy()
  })

  it('creates a workshop from the home page and lands on its console', async () => {
    await page.goto(`${server.url}/?lang=en`)
    await page.getByLabel('Workshop title').waitFor()
    expect(await axeFindings(page)).toEqual([])
    await page.getByLabel('Workshop title').fill('Purpose day — Osaka office')
    await page.getByLabel('Workshop language').selectOption('en')
    await page.getByLabel('Vision item 1', { exact: true }).fill('Make every meal a moment of joy')
    await page.getByRole('button', { name: /Add a vision item/ }).click()
    await page.getByLabel('Vision item 2', { exact: true }).fill('Grow with our communities')
    await page.getByRole('button', { name: 'Create workshop' }).click()
    await page.waitForURL(/\/f\/[A-Z2-9]{6}/)
    code = new URL(page.url()).pathname.split('/')[2]!
    expect(page.url()).not.toContain('token')
    await page.getByText(code, { exact: true }).first().waitFor()
    await page.getByRole('img', { name: `QR code to join ${code}` }).waitFor()
    await expect(page.getByText(`${server.url}/j/${code}`).count()).resolves.toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Vision: Make every meal a moment of joy' }).waitFor()

    for (const name of names) {
      const j = await joinWorkshop(server.url, code, name)
      people.push(connectControl(server.url, j.participantToken))
    }
    await people[0]!.until((s) => s.roster.filter((r) => r.online).length === names.length, 'everyone online')
    await page.getByText('Nobody has joined yet').waitFor({ state: 'detached' })
    for (const name of names) await page.getByRole('button', { name: `Remove ${name}` }).waitFor()
  })

  it('steps through phases: next, previous and jump', async () => {
    await page.getByRole('button', { name: /Next phase/ }).click()
    await people[0]!.until((s) => s.phaseIndex === 1, 'phase 2')
    await page.getByRole('button', { name: /^Go to phase 5\b.*Connect to our vision/ }).click()
    await people[0]!.until((s) => s.phaseIndex === 4, 'phase 5')
    await page.getByRole('button', { name: /Previous phase/ }).click()
    await people[0]!.until((s) => s.phaseIndex === 3, 'phase 4')
    await page.getByRole('button', { name: /Go to phase 4/ }).and(page.locator('[aria-current="step"]')).waitFor()
  })

  it('edits a phase', async () => {
    await page.getByRole('button', { name: 'Edit phase' }).click()
    await page.getByLabel('Title', { exact: true }).fill('Write your purpose, together')
    await page.getByLabel('Duration (minutes)').fill('12')
    await page.getByRole('button', { name: 'Save' }).click()
    const s = await people[0]!.until((x) => x.phases[3]!.title === 'Write your purpose, together', 'edited phase')
    expect(s.phases[3]!.durationSec).toBe(720)
  })

  it('runs the timer: start, pause, resume, add a minute', async () => {
    await page.getByRole('button', { name: /Start 12 min/ }).click()
    await people[0]!.until((s) => s.timer.status === 'running', 'running')
    await page.getByRole('button', { name: /Pause/ }).click()
    const paused = await people[0]!.until((s) => s.timer.status === 'paused', 'paused')
    await page.getByRole('button', { name: '+1 min' }).click()
    await people[0]!.until((s) => s.timer.remainingMs >= paused.timer.remainingMs + 59_000, 'a minute more')
    await page.getByRole('button', { name: /Resume/ }).click()
    await people[0]!.until((s) => s.timer.status === 'running', 'running again')
    await waitFor(async () => /1[23]:\d\d/.test((await page.getByRole('timer').first().textContent()) ?? ''), 'console countdown')
  })

  it('locks and unlocks the board', async () => {
    await page.getByRole('button', { name: /Lock the board/ }).click()
    await people[0]!.until((s) => s.locked, 'locked')
    await page.getByRole('button', { name: /Unlock the board/ }).waitFor()
    await page.getByRole('button', { name: /Unlock the board/ }).click()
    await people[0]!.until((s) => !s.locked, 'unlocked')
  })

  it('makes random groups and shows them', async () => {
    await page.getByLabel('People per group').selectOption('2')
    await page.getByRole('button', { name: 'Make random groups' }).click()
    const s = await people[0]!.until((x) => x.roster.every((r) => r.group !== null), 'groups')
    expect(new Set(s.roster.map((r) => r.group)).size).toBe(3)
    await page.getByText('Group 3', { exact: false }).first().waitFor()
    await page.screenshot({ path: `${ART}/console-1440.png`, fullPage: true })
    expect(await axeFindings(page)).toEqual([])
  })

  it('brings everyone to the facilitator view and releases them', async () => {
    await page.getByRole('button', { name: /Bring everyone to me/ }).click()
    const s = await people[0]!.until((x) => x.focus !== null, 'focus set')
    expect(s.focus!.zoom).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Release everyone' }).click()
    await people[0]!.until((x) => x.focus === null, 'focus released')
  })

  it('shows the code full screen for a projector', async () => {
    await page.getByRole('button', { name: 'Show the code' }).click()
    const projector = page.getByRole('dialog', { name: 'Show the code' })
    await projector.waitFor()
    await expect(projector.getByText(code, { exact: true }).isVisible()).resolves.toBe(true)
    await page.screenshot({ path: `${ART}/projector-1440.png` })
    expect(await axeFindings(page)).toEqual([])
    await page.keyboard.press('Escape')
    await projector.waitFor({ state: 'detached' })
  })

  it('removes a participant after asking', async () => {
    await page.getByRole('button', { name: 'Remove Emi' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
    await people[0]!.until((s) => !s.roster.some((r) => r.name === 'Emi'), 'Emi removed')
    expect(last().roster).toHaveLength(4)
  })

  it('adds, edits and places vision items on the board', async () => {
    await page.getByRole('button', { name: 'Add vision item' }).click()
    await page.getByRole('dialog').getByLabel('Title').fill('Be a trusted neighbour')
    await page.getByRole('dialog').getByLabel('Details').fill('In every town we work in')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    const added = page.getByRole('button', { name: 'Vision: Be a trusted neighbour' })
    await added.waitFor()

    await added.click()
    await page.getByRole('button', { name: 'Edit vision item' }).click()
    await page.getByRole('dialog').getByLabel('Title').fill('Be a trusted neighbour, everywhere')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    const edited = page.getByRole('button', { name: 'Vision: Be a trusted neighbour, everywhere' })
    await edited.waitFor()
    await page.getByRole('button', { name: 'Close', exact: true }).click()

    const before = (await edited.boundingBox())!
    await page.mouse.move(before.x + 30, before.y + 20)
    await page.mouse.down()
    await page.mouse.move(before.x + 130, before.y + 120, { steps: 10 })
    await page.mouse.up()
    await waitFor(async () => {
      const after = (await edited.boundingBox())!
      return Math.abs(after.x - before.x - 100) < 3 && Math.abs(after.y - before.y - 100) < 3
    }, 'vision item moved by 100 px')
    // It stays where it was put after a reload: the position is in the document.
    await page.reload()
    await edited.waitFor()
    const kept = (await edited.boundingBox())!
    expect(kept.width).toBeGreaterThan(0)
  })

  it('downloads the JSON export, the report PDF and every sheet, with the token in a header', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Data \(JSON\)/ }).click()])
    expect(download.suggestedFilename()).toBe(`kasane-${code}.json`)
    const file = await download.path()
    const data = JSON.parse(readFileSync(file, 'utf8')) as { vision: { title: string }[] }
    expect(JSON.stringify(data.vision)).toContain('Be a trusted neighbour, everywhere')

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Report \(PDF\)/ }).click()])
    expect(pdf.suggestedFilename()).toBe(`kasane-${code}-report.pdf`)
    expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-')
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /All sheets \(ZIP\)/ }).click()])
    expect(readFileSync(await zip.path()).subarray(0, 2).toString()).toBe('PK')
  })

  it('signals time is up to the facilitator, visibly and with a sound', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { __beeps: number }
      w.__beeps = 0
      const create = AudioContext.prototype.createOscillator
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.__beeps++
        return create.call(this)
      }
    })
    // A two-second countdown, started with the console's own token from a second connection.
    const token = await page.evaluate((c) => localStorage.getItem(`kasane:${c}:facilitator`)!, code)
    const f = connectControl(server.url, token)
    await f.until(() => true, 'state')
    expect(await f.send('timer:start', { seconds: 2 })).toEqual({ ok: true })
    f.close()
    await page.getByRole('alert').filter({ hasText: "Time's up!" }).waitFor()
    await waitFor(() => page.evaluate(() => (window as unknown as { __beeps: number }).__beeps >= 1), 'a beep')
  })

  it('fits a phone', async () => {
    await page.setViewportSize(PHONE)
    await page.getByRole('button', { name: /Next phase/ }).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${ART}/console-375.png`, fullPage: true })
    expect(await axeFindings(page)).toEqual([])
    await page.setViewportSize(DESKTOP)
  })

  it('ends the workshop after asking', async () => {
    await page.getByRole('button', { name: 'End the workshop' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'End workshop' }).click()
    await people[0]!.until((s) => s.ended, 'ended')
    await page.getByText('Ended').first().waitFor()
  })
})
