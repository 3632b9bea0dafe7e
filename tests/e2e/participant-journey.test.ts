// One participant walks through every phase of the My Purpose workshop on a phone, while the
// facilitator moves the phases over socket.io. A second participant's page shows what was
// published and nothing that was not, and the notebook opens only with its owner's token.
import { mkdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { peopleOf, readNotebook, readPeople, readVision } from '../../shared/layout'
import { isValidId } from '../../shared/limits'
import { boardRoom, notebookRoom } from '../../shared/protocol'
import { DESKTOP, hasChromium, launchBrowser, PHONE } from '../support/browser'
import { connectControl, type ControlClient } from '../support/control'
import { createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server'
import { connectDoc, type Client } from '../support/yjs'

const ART = 'tests/artifacts/journey'
// Words that are written but never published: they must appear nowhere but in the owner's notebook.
const SECRETS = ['Moved-to-Osaka-quietly', 'Won-the-relay-alone', 'Failed-the-exam-badly', 'First-job-tiny-studio', 'Led-a-team-hard-year', 'Unsent-draft-words', 'sleepy-unshared']

describe.skipIf(!hasChromium)('participant journey through every phase', () => {
  let server: TestServer
  let browser: Browser
  let fac: ControlClient
  let facBoard: Client
  let code = ''
  let facilitatorToken = ''
  let phone: BrowserContext
  let page: Page
  let otherPage: Page
  let me = { participantId: '', token: '' }
  let other = { participantId: '', participantToken: '' }
  const clients: Client[] = []
  // Any uncaught error in a page is a defect, whatever the step that caused it.
  const pageErrors: string[] = []
  const watch = (p: Page, who: string) => p.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`))

  const kindIndex = (kind: string) => fac.last()!.phases.findIndex((p) => p.kind === kind)
  async function goto(kind: string) {
    const ack = await fac.send('phase:goto', { index: kindIndex(kind) })
    expect(ack).toEqual({ ok: true })
    await page.locator(`[data-phase-kind="${kind}"]`).waitFor()
    await otherPage.locator(`[data-phase-kind="${kind}"]`).waitFor()
  }
  async function shoot(name: string) {
    // Phone first: nothing may push the page wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await page.screenshot({ path: `${ART}/${name}-375.png`, fullPage: true })
    await page.setViewportSize(DESKTOP)
    await page.screenshot({ path: `${ART}/${name}-1440.png`, fullPage: true })
    await page.setViewportSize(PHONE)
  }
  const mine = () => readPeople(facBoard.doc).find((p) => p.participantId === me.participantId)!
  // The owner's notebook as the server has it: proof that what was typed did reach the server,
  // so that "not on the board" means "kept private", not "not sent yet".
  let ownNotebook: Client
  const drafts = () => Object.values(readNotebook(ownNotebook.doc).drafts)

  beforeAll(async () => {
    mkdirSync(ART, { recursive: true })
    server = await startServer()
    const ws = await createWorkshop(server.url, { locale: 'en' })
    code = ws.code
    facilitatorToken = ws.facilitatorToken
    fac = connectControl(server.url, facilitatorToken)
    await fac.until((s) => s.phases.length === 8, 'facilitator state')
    facBoard = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    await facBoard.synced()
    browser = await launchBrowser()

    // The second participant, on a laptop, publishes a purpose of their own to be stamped.
    other = await joinWorkshop(server.url, code, 'Ren')
    const otherBoard = connectDoc(server.wsUrl, boardRoom(code), other.participantToken)
    clients.push(otherBoard)
    await otherBoard.synced()
    const entry = peopleOf(otherBoard.doc).get(other.participantId)!
    ;(entry.get('purpose') as Y.Text).insert(0, 'To open doors so that learning feels like play')
    const laptop = await browser.newContext({ viewport: DESKTOP })
    await laptop.addInitScript(
      ([key, value]) => window.localStorage.setItem(key!, value!),
      [`kasane:${code}:participant`, JSON.stringify({ participantId: other.participantId, token: other.participantToken })],
    )
    otherPage = await laptop.newPage()
    watch(otherPage, 'Ren')
    await otherPage.goto(`${server.url}/j/${code}?lang=en`)

    // The first participant joins from a phone with the join form, like everyone in the room.
    phone = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })
    page = await phone.newPage()
    watch(page, 'Aoi')
    await page.goto(`${server.url}/j/${code}?lang=en`)
    await page.getByLabel('Your name').fill('Aoi')
    await page.getByRole('button', { name: 'Join' }).click()
    await page.locator('[data-phase-kind="checkin"]').waitFor()
    await otherPage.locator('[data-phase-kind="checkin"]').waitFor()
    const stored = await page.evaluate((k) => window.localStorage.getItem(k), `kasane:${code}:participant`)
    me = JSON.parse(stored!)
    ownNotebook = connectDoc(server.wsUrl, notebookRoom(code, me.participantId), me.token)
    clients.push(ownNotebook)
    await ownNotebook.synced()
  })

  afterAll(async () => {
    for (const c of clients) c.destroy()
    facBoard?.destroy()
    fac?.close()
    await browser?.close()
    await server?.destroy()
  })

  it('check-in: shared only on a tap; later edits stay private until shared again', async () => {
    await page.getByTestId('checkin-input').fill('Curious')
    await waitFor(() => drafts().includes('Curious'), 'check-in draft in the notebook')
    expect(mine().checkin).toBe('')
    await page.getByTestId('checkin-publish').click()
    await waitFor(() => mine().checkin === 'Curious', 'check-in on the board')
    await expect.poll(() => page.getByTestId('checkin').locator('[data-visibility]').getAttribute('data-visibility')).toBe('shared')
    await page.getByTestId('checkin-input').fill('Curious and sleepy-unshared')
    await page.getByText('Your changes are not shared yet').waitFor()
    await waitFor(() => drafts().includes('Curious and sleepy-unshared'), 'edited draft in the notebook')
    expect(mine().checkin).toBe('Curious')
    // Unsharing clears the board and keeps the words privately; sharing again publishes the edit.
    await page.getByTestId('checkin-unpublish').click()
    await waitFor(() => mine().checkin === '', 'check-in cleared from the board')
    await expect.poll(() => page.getByTestId('checkin').locator('[data-visibility]').getAttribute('data-visibility')).toBe('private')
    await page.getByTestId('checkin-input').fill('Curious')
    await page.getByTestId('checkin-publish').click()
    await waitFor(() => mine().checkin === 'Curious', 'check-in shared again')
    await page.getByTestId('checkin-input').fill('Curious and sleepy-unshared')
    await shoot('1-checkin')
  })

  it('life story: five moments drawn on the motivation chart, reordered by buttons', async () => {
    await goto('story')
    const moments: [string, string, number][] = [
      ['age 6', SECRETS[0]!, -2],
      ['age 12', SECRETS[1]!, 4],
      ['age 18', SECRETS[2]!, -4],
      ['age 22', SECRETS[3]!, 3],
      ['2020', SECRETS[4]!, 5],
    ]
    for (const [when, text, level] of moments) {
      await page.getByTestId('add-moment').click()
      const m = page.getByTestId('moment').last()
      await m.getByTestId('moment-when').fill(when)
      await m.getByTestId('moment-text').fill(text)
      await m.getByTestId('moment-level').fill(String(level))
    }
    const points = page.locator('[data-testid="motivation-chart"] .ph-chart-point')
    await expect.poll(() => points.count()).toBe(5)
    expect(await points.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-level'))))).toEqual([-2, 4, -4, 3, 5])
    // Move the last moment up by one with its button: the chart follows the story's order.
    await page.getByRole('button', { name: 'Move moment 5 up' }).click()
    await expect.poll(() => points.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-level'))))).toEqual([-2, 4, -4, 5, 3])
    await page.getByRole('button', { name: 'Move moment 4 down' }).click()
    await expect.poll(() => points.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-level'))))).toEqual([-2, 4, -4, 3, 5])
    // A sixth moment, removed again after the second tap.
    await page.getByTestId('add-moment').tap()
    await expect.poll(() => points.count()).toBe(6)
    await page.getByRole('button', { name: 'Remove moment 6' }).tap()
    expect(await points.count()).toBe(6)
    await page.getByRole('button', { name: 'Yes, remove' }).tap()
    await expect.poll(() => points.count()).toBe(5)
    await shoot('2-story')
  })

  it('values: sort the deck, choose three, publish exactly those three', async () => {
    await goto('values')
    // By touch, as on a phone: taps, no mouse.
    for (let i = 0; i < 9; i++) await page.getByTestId(['sort-very', 'sort-important', 'sort-not'][i % 3]!).tap()
    await page.getByTestId('custom-card-input').fill('Playfulness')
    await page.getByTestId('custom-card-add').click()
    // Tapping a card moves it on to the next pile (very → important).
    const integrity = page.locator('.ph-piles [data-card="integrity"]')
    await integrity.tap()
    await page.locator('[data-pile="important"] [data-card="integrity"]').waitFor()
    await page.locator('[data-pile="important"] [data-card="integrity"]').tap()
    await page.locator('[data-pile="not"] [data-card="integrity"]').tap()
    await page.locator('[data-pile="very"] [data-card="integrity"]').waitFor()
    // On a desktop a mouse drags a card to another pile; on a keyboard 1, 2, 3 name the piles.
    await page.setViewportSize(DESKTOP)
    const challenge = page.locator('[data-pile="important"] [data-card="challenge"]')
    const from = (await challenge.boundingBox())!
    const to = (await page.locator('[data-pile="not"]').boundingBox())!
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 })
    await page.mouse.up()
    await page.locator('[data-pile="not"] [data-card="challenge"]').waitFor()
    // What has the keyboard: a card's id, or the tag of whatever else it is.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-card') ?? document.activeElement?.tagName)
    await page.locator('[data-pile="not"] [data-card="growth"]').focus()
    await page.keyboard.press('2')
    await page.locator('[data-pile="important"] [data-card="growth"]').waitFor()
    // Focus follows the card to its new pile, so the keyboard can go on with it.
    await expect.poll(focused).toBe('growth')
    await page.keyboard.press('Enter')
    await page.locator('[data-pile="not"] [data-card="growth"]').waitFor()
    await expect.poll(focused).toBe('growth')
    await page.keyboard.press('2')
    await page.locator('[data-pile="important"] [data-card="growth"]').waitFor()
    await page.setViewportSize(PHONE)
    await waitFor(() => readNotebook(ownNotebook.doc).cards.challenge === 'not' && readNotebook(ownNotebook.doc).cards.growth === 'important', 'moved cards in the notebook')
    const picks = page.locator('[data-pick]')
    expect(await picks.count()).toBe(4)
    for (let i = 0; i < 3; i++) await picks.nth(i).tap()
    await waitFor(() => readNotebook(ownNotebook.doc).cards.integrity === 'very' && drafts().some((d) => d.split(' ').length === 3), 'sort and picks in the notebook')
    expect(mine().values).toHaveLength(0)
    await page.getByTestId('values-publish').click()
    await waitFor(() => mine().values.length === 3, 'three values on the board')
    const values = mine().values
    expect(values.map((v) => v.rank)).toEqual([1, 2, 3])
    expect(values.map((v) => v.text)).toEqual(['Integrity', 'Contribution', 'Freedom'])
    for (const v of values) {
      expect(isValidId(v.id)).toBe(true)
      expect(Number.isFinite(v.pos.x) && Number.isFinite(v.pos.y)).toBe(true)
    }
    await page.getByTestId('values-published').getByText('Integrity').waitFor()
    expect(await page.locator('.ph-piles .ph-chip-shared').count()).toBe(3)
    await shoot('3-values')
  })

  it('purpose: drafts stay private, one is published', async () => {
    await goto('purpose')
    await page.getByTestId('frame-a').fill('open doors for young people')
    await page.getByTestId('frame-b').fill('learning feels like play')
    await page.getByTestId('frame-use').click()
    await page.getByTestId('purpose-add').click()
    await page.getByTestId('purpose-draft-text').last().fill(`${SECRETS[5]} ${'x'.repeat(300)}`)
    await page.getByText('at most 300 can be shared').waitFor()
    await waitFor(() => drafts().some((d) => d.startsWith(SECRETS[5]!)), 'second draft in the notebook')
    expect(mine().purpose).toBe('')
    expect(await page.getByTestId('purpose-publish').last().isDisabled()).toBe(true)
    await page.getByTestId('purpose-publish').first().click()
    const purpose = 'To open doors for young people so that learning feels like play'
    await waitFor(() => mine().purpose === purpose, 'purpose on the board')
    await page.getByTestId('purpose-published').getByText(purpose).waitFor()
    await shoot('4-purpose')
  })

  it('connect: a value linked to a vision item with a reason', async () => {
    await goto('connect')
    const vision = readVision(facBoard.doc)
    await page.getByTestId('vision-list').getByText(vision[0]!.title).waitFor()
    await page.getByTestId('link-from').selectOption({ label: '1. Integrity' })
    await page.getByTestId('link-to').selectOption({ label: vision[0]!.title })
    await page.getByTestId('link-reason').fill('Honest work brings joy')
    await page.getByTestId('link-add').click()
    await waitFor(() => mine().links.length === 1, 'link on the board')
    const link = mine().links[0]!
    expect(link).toMatchObject({ from: mine().values[0]!.id, to: vision[0]!.id, reason: 'Honest work brings joy' })
    await page.getByTestId('link').getByText('Honest work brings joy').waitFor()
    await shoot('5-connect')
  })

  it('a participant who joins late lands in the current phase with what it needs', async () => {
    const late = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })
    const latePage = await late.newPage()
    watch(latePage, 'Mika')
    await latePage.goto(`${server.url}/j/${code}?lang=en`)
    await latePage.getByLabel('Your name').fill('Mika')
    await latePage.getByRole('button', { name: 'Join' }).click()
    await latePage.locator('[data-phase-kind="connect"]').waitFor()
    await latePage.getByTestId('vision-list').getByText(readVision(facBoard.doc)[0]!.title).waitFor()
    // Nothing shared yet: the purpose can be written and shared right here, then linked.
    await latePage.getByText('Write and share your purpose').click()
    await latePage.getByTestId('purpose-add').click()
    await latePage.getByTestId('purpose-draft-text').fill('To make room for quiet voices')
    await latePage.getByTestId('purpose-publish').click()
    await latePage.getByTestId('link-from').selectOption({ index: 1 })
    await latePage.getByTestId('link-to').selectOption({ index: 2 })
    await latePage.getByTestId('link-add').click()
    const mika = () => readPeople(facBoard.doc).find((p) => p.purpose === 'To make room for quiet voices')
    await waitFor(() => mika()?.links.length === 1, 'the late joiner’s link')
    expect(mika()!.links[0]).toMatchObject({ from: 'purpose', to: readVision(facBoard.doc)[1]!.id })
    await latePage.screenshot({ path: `${ART}/5-connect-late-375.png`, fullPage: true })
    await late.close()
  })

  it('values shared again in a new order keep their ids, so links still hold', async () => {
    const before = mine().values.map((v) => v.id).sort()
    await goto('values')
    await page.getByRole('button', { name: 'Move “Freedom” up' }).click()
    await page.getByTestId('values-publish').click()
    await waitFor(() => mine().values.map((v) => v.text).join() === 'Integrity,Freedom,Contribution', 'new order on the board')
    expect(mine().values.map((v) => v.id).sort()).toEqual(before)
    expect(mine().links).toHaveLength(1)
    expect(mine().links[0]!.from).toBe(mine().values[0]!.id)
  })

  it('share: a stamp for another participant, and the stamps one received', async () => {
    await goto('share')
    const card = page.locator(`[data-participant="${other.participantId}"]`)
    await card.getByText('To open doors so that learning feels like play').waitFor()
    await card.getByRole('button', { name: /Resonates/ }).click()
    await waitFor(() => mine().reactions[other.participantId] === 'resonates', 'stamp on the board')
    expect(await card.getByRole('button', { name: /Resonates/ }).getAttribute('aria-pressed')).toBe('true')
    // The other participant sees one stamp received, and my purpose among everyone's.
    await otherPage.getByTestId('stamps-received').locator('[data-stamp="resonates"]').getByText('1').waitFor()
    await otherPage.locator(`[data-participant="${me.participantId}"]`).getByText('To open doors for young people').waitFor()
    await otherPage.screenshot({ path: `${ART}/6-share-other-1440.png`, fullPage: true })
    await shoot('6-share')
    // In groups, one sees one's own group only.
    expect(await fac.send('groups:make', { size: 2 })).toEqual({ ok: true })
    const state = await fac.until((s) => s.roster.some((r) => r.group !== null), 'groups')
    const myGroup = state.roster.find((r) => r.participantId === me.participantId)!.group
    const mates = state.roster.filter((r) => r.participantId !== me.participantId && r.group === myGroup).map((r) => r.participantId).sort()
    await page.getByRole('heading', { name: `Group ${myGroup}` }).waitFor()
    const shown = await page.locator('[data-testid="share-person"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-participant')))
    expect(shown.sort()).toEqual(mates)
  })

  it('commitment: one action and what I decide on my own', async () => {
    await goto('commit')
    // While the board is locked, writing goes on in the notebook and nothing can be shared.
    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    await page.getByTestId('commitment-input').fill('Ask one customer a week what they need')
    await expect.poll(() => page.getByTestId('commitment-publish').isDisabled()).toBe(true)
    await waitFor(() => drafts().includes('Ask one customer a week what they need'), 'commitment draft while locked')
    expect(await fac.send('board:lock', { locked: false })).toEqual({ ok: true })
    await expect.poll(() => page.getByTestId('commitment-publish').isDisabled()).toBe(false)
    await page.getByTestId('commitment-publish').click()
    await page.getByTestId('autonomy-input').fill('How I plan my Fridays')
    await page.getByTestId('autonomy-publish').click()
    await waitFor(() => mine().commitment === 'Ask one customer a week what they need' && mine().autonomy === 'How I plan my Fridays', 'commitment on the board')
    await shoot('7-commit')
  })

  it('close: a summary of what was shared and the personal sheet as a PDF', async () => {
    await goto('close')
    const summary = page.getByTestId('summary')
    await summary.getByText('Ask one customer a week what they need').waitFor()
    await summary.getByText('Honest work brings joy', { exact: false }).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sheet-download').click()])
    const file = await download.path()
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-')
    await page.getByText('Downloaded.').waitFor()
    await shoot('8-close')
    // Without a network the download says so clearly, and works again once it is back.
    await phone.setOffline(true)
    await page.getByTestId('sheet-download').click()
    expect(await page.getByTestId('sheet-error').innerText()).toMatch(/Could not reach the server/)
    await phone.setOffline(false)
  })

  it('the second participant sees what was published and nothing that was not', async () => {
    const html = await otherPage.content()
    for (const secret of SECRETS) expect(html).not.toContain(secret)
    expect(html).toContain('To open doors for young people so that learning feels like play')
    // Nor does anything unpublished reach the board document itself.
    const board = JSON.stringify(facBoard.doc.toJSON())
    for (const secret of SECRETS) expect(board).not.toContain(secret)
    expect(board).toContain('Curious')
  })

  it('no page met an uncaught error', () => {
    expect(pageErrors).toEqual([])
  })

  it('the notebook opens with its owner’s token only', async () => {
    const room = notebookRoom(code, me.participantId)
    for (const token of [other.participantToken, facilitatorToken]) {
      const intruder = connectDoc(server.wsUrl, room, token)
      clients.push(intruder)
      await waitFor(() => intruder.closes.length > 0, 'refused notebook connection')
      expect(intruder.provider.synced).toBe(false)
      expect(intruder.doc.getArray('story').length).toBe(0)
      intruder.provider.disconnect()
    }
    const owner = connectDoc(server.wsUrl, room, me.token)
    clients.push(owner)
    await owner.synced()
    const nb = readNotebook(owner.doc)
    expect(nb.story.map((m) => m.text)).toEqual(SECRETS.slice(0, 5))
    expect(Object.values(nb.cards).filter((p) => p === 'very')).toHaveLength(4)
    expect(Object.values(nb.drafts).some((d) => d.includes(SECRETS[5]!))).toBe(true)
  })
})
