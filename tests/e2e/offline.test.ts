// Writing goes on without a connection: the participant loses the network (and the server goes
// away, so that no socket survives), keeps writing in the notebook and on their own board entry,
// and once both come back every word is on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { readNotebook, readPeople, readVision } from '../../shared/layout'
import { boardRoom, notebookRoom } from '../../shared/protocol'
import { DESKTOP, hasChromium, launchBrowser, PHONE } from '../support/browser'
import { connectControl, type ControlClient } from '../support/control'
import { createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server'
import { connectDoc, type Client } from '../support/yjs'

describe.skipIf(!hasChromium)('offline writing', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let fac: ControlClient
  let code = ''
  let facilitatorToken = ''
  let me = { participantId: '', participantToken: '' }
  const clients: Client[] = []
  /** The board edits kept on the page's device for `who` (one copy per page), as text. */
  const boardEditsOnDevice = (who: string, on: Page = page) =>
    on.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => atob(localStorage.getItem(k)!)).join('\n'), `kasane:board-edits:${code}:${who}:`)

  beforeAll(async () => {
    server = await startServer()
    const ws = await createWorkshop(server.url, { locale: 'en' })
    code = ws.code
    facilitatorToken = ws.facilitatorToken
    me = await joinWorkshop(server.url, code, 'Aoi')
    fac = connectControl(server.url, facilitatorToken)
    await fac.until((s) => s.phases.length > 0, 'facilitator state')
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })
    await context.addInitScript(
      ([key, value]) => window.localStorage.setItem(key!, value!),
      [`kasane:${code}:participant`, JSON.stringify({ participantId: me.participantId, token: me.participantToken })],
    )
    page = await context.newPage()
  })

  afterAll(async () => {
    for (const c of clients) c.destroy()
    fac?.close()
    await browser?.close()
    await server?.destroy()
  })

  async function openPhase(kind: string) {
    const index = fac.last()!.phases.findIndex((p) => p.kind === kind)
    expect(await fac.send('phase:goto', { index })).toEqual({ ok: true })
    await page.locator(`[data-phase-kind="${kind}"]`).waitFor()
    await page.getByTestId('offline-note').waitFor({ state: 'detached' })
  }

  /**
   * Takes the network (every browser context goes offline, so no socket survives) and the server
   * away; returns what brings both back.
   */
  async function serverAway(): Promise<() => Promise<void>> {
    const port = server.port
    const contexts = browser.contexts()
    for (const c of contexts) await c.setOffline(true)
    fac.close()
    await server.stop()
    return async () => {
      server = await startServer({ dataDir: server.dataDir, env: { PORT: String(port) } })
      for (const c of contexts) await c.setOffline(false)
      fac = connectControl(server.url, facilitatorToken)
      await fac.until((s) => s.phases.length > 0, 'facilitator state after restart')
    }
  }

  /** Takes the network and the server away, runs `write`, then brings both back. */
  async function offline(write: () => Promise<void>) {
    const back = await serverAway()
    const note = page.getByTestId('offline-note')
    await note.waitFor()
    expect(await note.innerText()).toMatch(/saved on this device/)
    await write()
    // The device keeps its own copy of the notebook meanwhile.
    const stored = await page.evaluate((k) => window.localStorage.getItem(k), `kasane:notebook:${code}:${me.participantId}`)
    expect(stored?.length).toBeGreaterThan(0)
    await back()
    await note.waitFor({ state: 'detached', timeout: 30_000 })
  }

  /**
   * With the server away, publishes `words` as the commitment, waits until the device keeps them,
   * and closes the page; returns what brings the server back and the device's copy at closing.
   */
  async function publishAwayAndClose(words: string) {
    await openPhase('commit')
    const back = await serverAway()
    await page.getByTestId('offline-note').waitFor()
    await page.getByTestId('commitment-input').fill(words)
    await page.getByTestId('commitment-publish').click()
    await page.getByTestId('commitment-published').getByText(words).waitFor()
    await waitFor(async () => (await boardEditsOnDevice(me.participantId)).includes(words), 'the board edit in the device copy')
    const copy = await boardEditsOnDevice(me.participantId)
    await page.close()
    return { back, copy }
  }

  it('keeps notebook words written while disconnected and sends them on reconnect', async () => {
    await page.goto(`${server.url}/j/${code}?lang=en`)
    await openPhase('story')
    await page.getByTestId('add-moment').click()
    await page.getByTestId('moment-text').last().fill('written-while-online')

    await offline(async () => {
      await page.getByTestId('add-moment').click()
      await page.getByTestId('moment-when').last().fill('offline-when')
      await page.getByTestId('moment-text').last().fill('offline-moment-words')
      await page.getByTestId('moment-level').last().fill('3')
      await page.getByTestId('moment-text').first().fill('written-while-online, edited offline')
    })

    const notebook = connectDoc(server.wsUrl, notebookRoom(code, me.participantId), me.participantToken)
    clients.push(notebook)
    await notebook.synced()
    await waitFor(() => readNotebook(notebook.doc).story.some((m) => m.text === 'offline-moment-words'), 'offline moment on the server')
    const story = readNotebook(notebook.doc).story
    expect(story.map((m) => m.text)).toEqual(['written-while-online, edited offline', 'offline-moment-words'])
    expect(story[1]).toMatchObject({ when: 'offline-when', level: 3 })
  })

  it('keeps words from a page closed while offline: the device copy is sent when it opens again', async () => {
    await openPhase('story')
    const back = await serverAway()
    await page.getByTestId('offline-note').waitFor()
    await page.getByTestId('add-moment').click()
    await page.getByTestId('moment-text').last().fill('closed-while-offline')
    const key = `kasane:notebook:${code}:${me.participantId}`
    await waitFor(
      () => page.evaluate((k) => atob(window.localStorage.getItem(k) ?? '').includes('closed-while-offline'), key),
      'the words in the device copy',
    )
    await page.close()

    await back()
    const notebook = connectDoc(server.wsUrl, notebookRoom(code, me.participantId), me.participantToken)
    clients.push(notebook)
    await notebook.synced()
    expect(readNotebook(notebook.doc).story.some((m) => m.text === 'closed-while-offline')).toBe(false)

    page = await context.newPage()
    await page.goto(`${server.url}/j/${code}?lang=en`)
    await page.locator('[data-phase-kind="story"]').waitFor()
    await waitFor(() => readNotebook(notebook.doc).story.some((m) => m.text === 'closed-while-offline'), 'device copy merged on the server')
    await page.getByTestId('offline-note').waitFor({ state: 'detached' })
    // Nothing was lost on either side: the moments written before are all still there.
    expect(readNotebook(notebook.doc).story.map((m) => m.text)).toEqual(['written-while-online, edited offline', 'offline-moment-words', 'closed-while-offline'])
  })

  it('keeps what is published to one\'s own board entry while disconnected', async () => {
    await openPhase('commit')
    await offline(async () => {
      await page.getByTestId('commitment-input').fill('offline-commitment-words')
      await page.getByTestId('commitment-publish').click()
      await page.getByTestId('commitment-published').getByText('offline-commitment-words').waitFor()
      await page.getByTestId('autonomy-input').fill('offline-autonomy-draft')
    })

    const board = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    clients.push(board)
    await board.synced()
    const mine = () => readPeople(board.doc).find((p) => p.participantId === me.participantId)
    await waitFor(() => mine()?.commitment === 'offline-commitment-words', 'offline commitment on the server')
    // The unpublished draft reached the notebook, and only the notebook.
    expect(mine()?.autonomy).toBe('')
    const notebook = connectDoc(server.wsUrl, notebookRoom(code, me.participantId), me.participantToken)
    clients.push(notebook)
    await notebook.synced()
    await waitFor(() => Object.values(readNotebook(notebook.doc).drafts).includes('offline-autonomy-draft'), 'offline draft on the server')
  })

  it('keeps what is published to one\'s own board entry from a page closed while offline, and forgets it once the server has it', async () => {
    const { back, copy } = await publishAwayAndClose('closed-offline-commitment')
    await back()
    const board = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    clients.push(board)
    await board.synced()
    const mine = () => readPeople(board.doc).find((p) => p.participantId === me.participantId)
    expect(mine()?.commitment).toBe('offline-commitment-words')
    // Only the edits made on the device are kept there, not the room's board.
    expect(copy).not.toContain(readVision(board.doc)[0]!.title)

    page = await context.newPage()
    await page.goto(`${server.url}/j/${code}?lang=en`)
    await page.locator('[data-phase-kind="commit"]').waitFor()
    await waitFor(() => mine()?.commitment === 'closed-offline-commitment', 'device copy merged into the board on the server')
    await page.getByTestId('commitment-published').getByText('closed-offline-commitment').waitFor()
    // The next page finds nothing the server lacks, and forgets the copy.
    await page.reload()
    await page.getByTestId('commitment-published').getByText('closed-offline-commitment').waitFor()
    await waitFor(async () => (await boardEditsOnDevice(me.participantId)) === '', 'the device copy forgotten')
  })

  it('forgets a device copy the server refuses (the board was locked meanwhile), says why, and goes on', async () => {
    const { back } = await publishAwayAndClose('kept-back-words')
    await back()
    expect(await fac.send('board:lock', { locked: true })).toEqual({ ok: true })
    page = await context.newPage()
    await page.goto(`${server.url}/j/${code}?lang=en`)
    await page.getByText('The board is locked by the facilitator, so your last change was not saved.').waitFor()
    await waitFor(async () => (await boardEditsOnDevice(me.participantId)) === '', 'the refused copy forgotten')
    const board = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    clients.push(board)
    await board.synced()
    const mine = () => readPeople(board.doc).find((p) => p.participantId === me.participantId)
    expect(mine()?.commitment).toBe('closed-offline-commitment')

    // Unlocked, the same page writes again, and what it writes reaches the server.
    expect(await fac.send('board:lock', { locked: false })).toEqual({ ok: true })
    await page.getByTestId('commitment-input').fill('after-the-refusal')
    await page.getByTestId('commitment-publish').click()
    await waitFor(() => mine()?.commitment === 'after-the-refusal', 'a later edit on the server')
  })

  it('keeps a facilitator\'s board edits from a page closed while offline, with a second tab of the console open', async () => {
    const desk = await browser.newContext({ viewport: DESKTOP })
    const console1 = await desk.newPage()
    await console1.goto(`${server.url}/f/${code}?lang=en#token=${facilitatorToken}`)
    const second = await desk.newPage()
    await second.goto(`${server.url}/f/${code}?lang=en`)
    for (const p of [console1, second]) await p.getByRole('button', { name: 'Add vision item' }).waitFor()
    const back = await serverAway()
    await console1.getByRole('button', { name: 'Add vision item' }).click()
    await console1.getByRole('dialog').getByLabel('Title').fill('Written-with-the-server-away')
    await console1.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await console1.getByRole('button', { name: 'Vision: Written-with-the-server-away' }).waitFor()
    await waitFor(async () => (await boardEditsOnDevice('facilitator', console1)).includes('Written-with-the-server-away'), 'the vision item in the device copy')
    // The idle tab leaves the console's copy alone, whatever it saves.
    await second.evaluate(() => window.dispatchEvent(new Event('pagehide')))
    await console1.close()
    expect(await boardEditsOnDevice('facilitator', second)).toContain('Written-with-the-server-away')
    await second.close()

    await back()
    const board = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    clients.push(board)
    await board.synced()
    const titles = () => readVision(board.doc).map((v) => v.title)
    expect(titles()).not.toContain('Written-with-the-server-away')
    const again = await desk.newPage()
    await again.goto(`${server.url}/f/${code}?lang=en`)
    await waitFor(() => titles().includes('Written-with-the-server-away'), 'device copy merged into the board on the server')
    await desk.close()
  })

  it('leaves nothing behind on the device once the participant is removed', async () => {
    await openPhase('commit')
    await page.getByTestId('commitment-input').fill('one-more-line')
    await page.getByTestId('commitment-publish').click()
    const notebookKey = `kasane:notebook:${code}:${me.participantId}`
    await waitFor(async () => (await boardEditsOnDevice(me.participantId)).includes('one-more-line'), 'the board edit in the device copy')
    expect(await page.evaluate((k) => window.localStorage.getItem(k), notebookKey)).not.toBeNull()
    expect(await fac.send('participant:remove', { participantId: me.participantId })).toEqual({ ok: true })
    await waitFor(async () => (await boardEditsOnDevice(me.participantId)) === '' && (await page.evaluate((k) => window.localStorage.getItem(k), notebookKey)) === null, 'both device copies forgotten')
  })
})
