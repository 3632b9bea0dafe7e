// A whole "My Purpose" workshop in real Chromium against a real server: the facilitator creates
// it on the home page and leads all eight phases from the console's stepper; three people join by
// typing the room code (one on a phone, two on laptops) and do what each phase asks on their own
// pages. On the way the timer runs out for everyone, the board is locked and unlocked, everyone is
// brought to the facilitator's view and released, and groups are made for sharing. At the end the
// board, read with a stock y-websocket client, holds everything each person published and nothing
// they kept private, and each notebook holds its owner's words only and opens for its owner only.
import { mkdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { readNotebook, readPeople, readVision, type PersonView } from '../../shared/layout'
import { boardRoom, notebookRoom } from '../../shared/protocol'
import { DESKTOP, hasChromium, launchBrowser, PHONE } from '../support/browser'
import { connectControl, type ControlClient } from '../support/control'
import { startServer, waitFor, type TestServer } from '../support/server'
import { connectDoc, upgradeStatus, type Client } from '../support/yjs'

const ART = 'tests/artifacts/whole-workshop'
const VISION = ['Make every meal a moment of joy', 'Grow with our communities', 'Care for the planet we share']
const PHASES = ['checkin', 'story', 'values', 'purpose', 'connect', 'share', 'commit', 'close']

type Plan = {
  name: string
  phone: boolean
  checkin: string
  /** Piles for the first cards of the deck, in deck order; the three `very` ones become the top three. */
  sort: ('very' | 'important' | 'not')[]
  values: string[]
  frame: [string, string]
  link: { vision: number; reason: string }
  commitment: string
  /** Private words: the life story's moments and an unpublished purpose draft. */
  moments: string[]
  secretDraft: string
}

const secret = (who: string, what: string) => `Zq${who}${what}Marker`
const plan = (name: string, phone: boolean, rest: Omit<Plan, 'name' | 'phone' | 'moments' | 'secretDraft'>): Plan => ({
  name,
  phone,
  ...rest,
  moments: [1, 2, 3, 4, 5].map((i) => secret(name, `Moment${i}`)),
  secretDraft: `${secret(name, 'Draft')} is a purpose I am not ready to share`,
})

const PLANS: Plan[] = [
  plan('Aoi', true, {
    checkin: 'Curious',
    sort: ['very', 'very', 'very'],
    values: ['Integrity', 'Challenge', 'Growth'],
    frame: ['open doors for young people', 'learning feels like play'],
    link: { vision: 0, reason: 'Honest food brings joy' },
    commitment: 'Ask one customer a week what they need',
  }),
  plan('Ben', false, {
    checkin: 'Hopeful',
    sort: ['important', 'not', 'important', 'very', 'very', 'very'],
    values: ['Contribution', 'Family', 'Health'],
    frame: ['build places people belong', 'no one eats alone'],
    link: { vision: 1, reason: 'Communities are families too' },
    commitment: 'Visit the local food bank this month',
  }),
  plan('Chika', false, {
    checkin: 'Energised',
    sort: ['not', 'not', 'not', 'important', 'important', 'important', 'very', 'very', 'very'],
    values: ['Freedom', 'Creativity', 'Curiosity'],
    frame: ['make small things better every day', 'our planet stays green'],
    link: { vision: 2, reason: 'Curiosity finds greener ways' },
    commitment: 'Propose one packaging change by Friday',
  }),
]
const purposeOf = (p: Plan) => `To ${p.frame[0]} so that ${p.frame[1]}`
const ALL_SECRETS = PLANS.flatMap((p) => [...p.moments, secret(p.name, 'Draft')])

type Person = Plan & { ctx: BrowserContext; page: Page; participantId: string; token: string }

describe.skipIf(!hasChromium)('a whole workshop, facilitator and three participants', () => {
  let server: TestServer
  let browser: Browser
  let facPage: Page
  let fac: ControlClient // watches the state with the console's own token; the console's buttons give the commands
  let facBoard: Client
  let finalBoard: Client
  let code = ''
  let facilitatorToken = ''
  const people: Person[] = []
  const clients: Client[] = []
  const pageErrors: string[] = []
  const started = Date.now()

  const watch = (p: Page, who: string) => p.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`))
  /** Everyone at once, as in a room. */
  const each = (fn: (p: Person, i: number) => Promise<unknown>) => Promise.all(people.map(fn))
  /** A phone is used by touch alone. */
  const press = (p: Person, l: Locator) => (p.phone ? l.tap() : l.click())
  const entry = (p: Person): PersonView | undefined => readPeople(facBoard.doc).find((x) => x.participantId === p.participantId)

  /** The facilitator presses "Next phase"; the console and every participant follow. */
  async function next(kind: string) {
    const index = PHASES.indexOf(kind)
    await facPage.getByRole('button', { name: /Next phase/ }).click()
    await waitFor(async () => (await facPage.getByRole('button', { name: new RegExp(`^Go to phase ${index + 1}\\b`) }).getAttribute('aria-current')) === 'step', `console at phase ${index + 1}`)
    const title = fac.last()!.phases[index]!.title
    await each(async (p) => {
      await p.page.locator(`[data-phase-kind="${kind}"]`).waitFor()
      await p.page.getByRole('heading', { level: 1, name: title }).waitFor()
    })
  }

  async function shoot(name: string) {
    await each((p) => p.page.screenshot({ path: `${ART}/${name}-${p.name}.png`, fullPage: true }))
    await facPage.screenshot({ path: `${ART}/${name}-console.png` })
  }

  beforeAll(async () => {
    mkdirSync(ART, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
  })

  // One workshop, step by step: after a failed step the later ones say nothing useful.
  let broken = false
  beforeEach((ctx) => {
    if (broken) ctx.skip()
    ctx.onTestFailed(() => {
      broken = true
    })
  })

  afterAll(async () => {
    for (const c of clients) c.destroy()
    facBoard?.destroy()
    fac?.close()
    await browser?.close()
    await server?.destroy()
    console.log(`whole workshop: ${((Date.now() - started) / 1000).toFixed(1)} s`)
  })

  it('the facilitator creates the workshop on the home page; three people join by typing the code', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP })
    facPage = await ctx.newPage()
    watch(facPage, 'facilitator')
    await facPage.goto(`${server.url}/?lang=en`)
    await facPage.getByLabel('Workshop title').fill('My Purpose — spring cohort')
    await facPage.getByLabel('Workshop language').selectOption('en')
    for (const [i, title] of VISION.entries()) {
      if (i > 0) await facPage.getByRole('button', { name: /Add a vision item/ }).click()
      await facPage.getByLabel(`Vision item ${i + 1}`, { exact: true }).fill(title)
    }
    await facPage.getByRole('button', { name: 'Create workshop' }).click()
    await facPage.waitForURL(/\/f\/[A-Z2-9]{6}/)
    code = new URL(facPage.url()).pathname.split('/')[2]!
    expect(facPage.url()).not.toContain('token')
    await facPage.getByRole('button', { name: /Next phase/ }).waitFor()
    for (const title of VISION) await facPage.getByRole('button', { name: `Vision: ${title}` }).waitFor()
    facilitatorToken = (await facPage.evaluate((c) => localStorage.getItem(`kasane:${c}:facilitator`), code))!
    expect(facilitatorToken).toBeTruthy()

    fac = connectControl(server.url, facilitatorToken)
    await fac.until((s) => s.phases.length === 8 && s.phaseIndex === 0, 'facilitator state')
    expect(fac.last()!.phases.map((p) => p.kind)).toEqual(PHASES)
    facBoard = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    await facBoard.synced()
    expect(readVision(facBoard.doc).map((v) => v.title)).toEqual(VISION)

    await Promise.all(
      PLANS.map(async (pl) => {
        const ctx = await browser.newContext(pl.phone ? { viewport: PHONE, hasTouch: true, isMobile: true } : { viewport: DESKTOP })
        const page = await ctx.newPage()
        watch(page, pl.name)
        await page.goto(`${server.url}/?lang=en`)
        await page.getByLabel('Room code').fill(code.toLowerCase())
        await page.getByLabel('Your name').fill(pl.name)
        await (pl.phone ? page.getByRole('button', { name: 'Join' }).tap() : page.getByRole('button', { name: 'Join' }).click())
        await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor()
        expect(new URL(page.url()).pathname).toBe(`/j/${code}`)
        const creds = JSON.parse((await page.evaluate((c) => localStorage.getItem(`kasane:${c}:participant`), code))!) as { participantId: string; token: string }
        people.push({ ...pl, ctx, page, ...creds })
      }),
    )
    people.sort((a, b) => PLANS.findIndex((p) => p.name === a.name) - PLANS.findIndex((p) => p.name === b.name))
    await fac.until((s) => s.roster.length === 3 && s.roster.every((r) => r.online), 'three participants online')
    for (const p of people) await facPage.getByRole('button', { name: `Remove ${p.name}` }).waitFor()
  })

  it('1 check-in: each shares one word', async () => {
    await each(async (p) => {
      await p.page.getByTestId('checkin-input').fill(p.checkin)
      await press(p, p.page.getByTestId('checkin-publish'))
      await p.page.getByTestId('checkin-published').getByText(p.checkin).waitFor()
    })
    await waitFor(() => people.every((p) => entry(p)?.checkin === p.checkin), 'check-ins on the board')
    await facPage.getByText('check-in written').nth(2).waitFor()
    await shoot('1-checkin')
  })

  it('2 life story: five private moments each, while the timer runs out for everyone', async () => {
    await next('story')
    await facPage.getByRole('button', { name: /Start 15 min/ }).click()
    await each((p) => waitFor(async () => /^1[45]:\d\d/.test((await p.page.getByRole('timer').textContent()) ?? ''), `${p.name} sees the countdown`))

    await each(async (p) => {
      for (const [i, text] of p.moments.entries()) {
        await press(p, p.page.getByTestId('add-moment'))
        const m = p.page.getByTestId('moment').nth(i)
        await m.getByTestId('moment-when').fill(`age ${6 + i * 5}`)
        await m.getByTestId('moment-text').fill(text)
        await m.getByTestId('moment-level').fill(String([-2, 4, -4, 3, 5][i]))
      }
      await waitFor(async () => (await p.page.locator('[data-testid="motivation-chart"] .ph-chart-point').count()) === 5, `${p.name}'s chart`)
    })

    // +1 min on the console, then the rest taken away (there is no "−" button) so that the
    // server's own countdown reaches zero a few seconds later.
    const before = fac.last()!.timer
    await facPage.getByRole('button', { name: '+1 min' }).click()
    const added = await fac.until((s) => s.timer.status === 'running' && s.timer.endsAt! >= before.endsAt! + 59_000, 'a minute more')
    const left = Math.ceil((added.timer.endsAt! - added.serverTime) / 1000)
    const f = connectControl(server.url, facilitatorToken)
    await f.until(() => true, 'second facilitator connection')
    expect(await f.send('timer:add', { seconds: -(left - 3) })).toEqual({ ok: true })
    f.close()
    await fac.until((s) => s.timer.status === 'done', 'timer done on the server', 15_000)
    const pages = [facPage, ...people.map((p) => p.page)]
    await Promise.all(pages.map((pg) => pg.getByRole('alert').filter({ hasText: "Time's up!" }).waitFor({ timeout: 15_000 })))
    await Promise.all(pages.map((pg) => pg.getByRole('timer').first().getByText("Time's up").waitFor()))
    await shoot('2-story')
    // Everyone dismisses the signal with a tap or a click, unless it has gone by itself already.
    await Promise.all(
      [{ page: facPage, phone: false }, ...people].map(async (p) => {
        const signal = p.page.locator('.time-up')
        if (await signal.count()) await (p.phone ? signal.tap({ timeout: 2000 }) : signal.click({ timeout: 2000 })).catch(() => {})
        await signal.waitFor({ state: 'detached' })
      }),
    )
  })

  it('3 values: each sorts cards and publishes a top three', async () => {
    await next('values')
    // The timer went back to idle with the new phase.
    await each((p) => p.page.getByRole('timer').getByText('Not started').waitFor())
    await each(async (p) => {
      for (const pile of p.sort) {
        const card = (await p.page.getByTestId('next-card').textContent())!
        await press(p, p.page.getByTestId(`sort-${pile}`))
        await waitFor(async () => (await p.page.getByTestId('next-card').textContent()) !== card, `${p.name} sorted ${card}`)
      }
      const picks = p.page.locator('[data-pick]')
      await waitFor(async () => (await picks.count()) === 3, `${p.name}'s very important pile`)
      for (let i = 0; i < 3; i++) await press(p, picks.nth(i))
      await press(p, p.page.getByTestId('values-publish'))
      await p.page.getByTestId('values-published').getByText(p.values[2]!).waitFor()
    })
    await waitFor(() => people.every((p) => entry(p)?.values.map((v) => v.text).join() === p.values.join()), 'everyone’s top three on the board')
    for (const p of people) expect(entry(p)!.values.map((v) => v.rank)).toEqual([1, 2, 3])
    await shoot('3-values')
  })

  it('4 purpose: each publishes one draft and keeps another private', async () => {
    await next('purpose')
    await each(async (p) => {
      await p.page.getByTestId('frame-a').fill(p.frame[0])
      await p.page.getByTestId('frame-b').fill(p.frame[1])
      await press(p, p.page.getByTestId('frame-use'))
      await press(p, p.page.getByTestId('purpose-publish'))
      await p.page.getByTestId('purpose-published').getByText(purposeOf(p)).waitFor()
      // A second draft, never shared.
      await press(p, p.page.getByTestId('purpose-add'))
      await p.page.getByTestId('purpose-draft-text').nth(1).fill(p.secretDraft)
      await waitFor(async () => !(await p.page.getByTestId('purpose-publish').isDisabled()), `${p.name}'s second draft publishable`)
    })
    await waitFor(() => people.every((p) => entry(p)?.purpose === purposeOf(p)), 'purposes on the board')
    await facPage.getByText('purpose published').nth(2).waitFor()
    await shoot('4-purpose')
  })

  it('5 connect: each links a value to a vision item with a reason; everyone is brought to the facilitator and released', async () => {
    await next('connect')
    await each(async (p) => {
      await p.page.getByTestId('vision-list').getByText(VISION[p.link.vision]!).waitFor()
      await p.page.getByTestId('link-from').selectOption({ label: `1. ${p.values[0]}` })
      await p.page.getByTestId('link-to').selectOption({ label: VISION[p.link.vision]! })
      await p.page.getByTestId('link-reason').fill(p.link.reason)
      await press(p, p.page.getByTestId('link-add'))
      await p.page.getByTestId('link').getByText(p.link.reason).waitFor()
    })
    await waitFor(() => people.every((p) => entry(p)?.links.length === 1), 'links on the board')
    await facPage.getByText(/^1 links?$/).nth(2).waitFor()

    await facPage.getByRole('button', { name: 'Bring everyone to me' }).click()
    await fac.until((s) => s.focus !== null, 'focus set')
    await each((p) => p.page.getByText('Following the facilitator’s view').waitFor())
    await shoot('5-connect-following')
    await facPage.getByRole('button', { name: 'Release everyone' }).click()
    await fac.until((s) => s.focus === null, 'focus released')
    await each((p) => p.page.getByText('Following the facilitator’s view').waitFor({ state: 'detached' }))
  })

  it('6 share: the console makes groups, and each stamps another’s purpose', async () => {
    await next('share')
    await facPage.getByLabel('People per group').selectOption('3')
    await facPage.getByRole('button', { name: 'Make random groups' }).click()
    await fac.until((s) => s.roster.every((r) => r.group === 1), 'one group of three')
    await facPage.getByText(/Group 1/).first().waitFor()
    const STAMP = ['Resonates', 'Inspiring', 'Cheering you on']
    const IDS = ['resonates', 'inspiring', 'cheering']
    await each(async (p, i) => {
      await p.page.getByRole('heading', { name: 'Group 1' }).waitFor()
      await waitFor(async () => (await p.page.getByTestId('share-person').count()) === 2, `${p.name} sees the two others`)
      const to = people[(i + 1) % people.length]!
      const card = p.page.locator(`[data-participant="${to.participantId}"]`)
      await card.getByText(purposeOf(to)).waitFor()
      const button = card.getByRole('button', { name: STAMP[i]! })
      await press(p, button)
      await waitFor(async () => (await button.getAttribute('aria-pressed')) === 'true', `${p.name}'s stamp pressed`)
    })
    await waitFor(() => people.every((p, i) => entry(p)?.reactions[people[(i + 1) % 3]!.participantId] === IDS[i]), 'stamps on the board')
    // Each received exactly the one stamp the person before them gave.
    await each((p, i) =>
      waitFor(async () => {
        const counts = await p.page.getByTestId('stamps-received').locator('[data-stamp]').allTextContents()
        return counts.map((c) => Number(c.trim().split(' ').at(-1))).join() === IDS.map((_, k) => (k === (i + 2) % 3 ? 1 : 0)).join()
      }, `${p.name} received one stamp`),
    )
    await shoot('6-share')
  })

  it('7 commitment: written while the board is locked, shared once it is unlocked', async () => {
    await next('commit')
    await facPage.getByRole('button', { name: 'Lock the board' }).click()
    await fac.until((s) => s.locked, 'locked')
    await facPage.getByRole('button', { name: 'Unlock the board' }).waitFor()
    await each(async (p) => {
      await p.page.getByText('The board is locked. You can look but not change it.').waitFor()
      await p.page.getByText('Board locked', { exact: true }).waitFor()
      await p.page.getByTestId('commitment-input').fill(p.commitment)
      await waitFor(() => p.page.getByTestId('commitment-publish').isDisabled(), `${p.name} cannot share while locked`)
    })
    await shoot('7-commit-locked')
    expect(people.every((p) => entry(p)!.commitment === '')).toBe(true)
    await facPage.getByRole('button', { name: 'Unlock the board' }).click()
    await fac.until((s) => !s.locked, 'unlocked')
    await each(async (p) => {
      await p.page.getByText('The board is locked. You can look but not change it.').waitFor({ state: 'detached' })
      await waitFor(async () => !(await p.page.getByTestId('commitment-publish').isDisabled()), `${p.name} may share again`)
      await press(p, p.page.getByTestId('commitment-publish'))
      await p.page.getByTestId('commitment-published').getByText(p.commitment).waitFor()
    })
    await waitFor(() => people.every((p) => entry(p)?.commitment === p.commitment), 'commitments on the board')
    await facPage.getByText('commitment written').nth(2).waitFor()
  })

  it('8 close: each downloads their sheet as a PDF', async () => {
    await next('close')
    await each(async (p) => {
      await p.page.getByTestId('summary').getByText(p.commitment).waitFor()
      const [download, response] = await Promise.all([
        p.page.waitForEvent('download'),
        p.page.waitForResponse((r) => r.url().includes(`/participants/${p.participantId}/sheet.pdf`)),
        press(p, p.page.getByTestId('sheet-download')),
      ])
      expect(response.status()).toBe(200)
      expect(response.headers()['content-type']).toMatch(/^application\/pdf/)
      // The page streams the body itself (for its progress bar) and saves exactly those bytes.
      expect(readFileSync((await download.path())!).subarray(0, 5).toString()).toBe('%PDF-')
      await p.page.getByText('Downloaded.').waitFor()
    })
    await shoot('8-close')
  })

  it('the board holds everything each person published, and the console shows their values and purposes', async () => {
    // A fresh stock client with the facilitator's token: the board as the server has it.
    finalBoard = connectDoc(server.wsUrl, boardRoom(code), facilitatorToken)
    clients.push(finalBoard)
    await finalBoard.synced()
    const vision = readVision(finalBoard.doc)
    const all = readPeople(finalBoard.doc)
    expect(all).toHaveLength(3)
    for (const [i, p] of people.entries()) {
      const e = all.find((x) => x.participantId === p.participantId)!
      expect(e.checkin).toBe(p.checkin)
      expect(e.values.map((v) => [v.rank, v.text])).toEqual(p.values.map((t, r) => [r + 1, t]))
      expect(e.purpose).toBe(purposeOf(p))
      expect(e.links).toHaveLength(1)
      expect(e.links[0]).toMatchObject({ from: e.values[0]!.id, to: vision[p.link.vision]!.id, reason: p.link.reason })
      expect(e.commitment).toBe(p.commitment)
      expect(e.reactions).toEqual({ [people[(i + 1) % 3]!.participantId]: ['resonates', 'inspiring', 'cheering'][i] })
    }
    for (const p of people) {
      for (const v of p.values) await facPage.getByRole('button', { name: `Value “${v}” by ${p.name}` }).waitFor()
      await facPage.getByRole('button', { name: `Purpose of ${p.name}: ${purposeOf(p)}` }).waitFor()
    }
    await facPage.screenshot({ path: `${ART}/console-end.png`, fullPage: true })
  })

  it('nothing private reached the board, the console or anyone else; each notebook opens for its owner only', async () => {
    const board = JSON.stringify(finalBoard.doc.toJSON())
    for (const s of ALL_SECRETS) expect(board).not.toContain(s)
    expect(board).toContain(purposeOf(people[0]!))
    const facHtml = await facPage.content()
    for (const s of ALL_SECRETS) expect(facHtml).not.toContain(s)

    for (const [i, p] of people.entries()) {
      const others = people.filter((o) => o !== p)
      const html = await p.page.content()
      for (const o of others) for (const s of [...o.moments, secret(o.name, 'Draft')]) expect(html).not.toContain(s)

      const room = notebookRoom(code, p.participantId)
      const own = connectDoc(server.wsUrl, room, p.token)
      try {
        await own.synced()
        const nb = readNotebook(own.doc)
        // What was typed did reach the server, so "absent elsewhere" means "kept private".
        expect(nb.story.map((m) => m.text)).toEqual(p.moments)
        expect(Object.values(nb.drafts)).toContain(p.secretDraft)
        const text = JSON.stringify(own.doc.toJSON())
        for (const o of others) for (const s of [...o.moments, secret(o.name, 'Draft')]) expect(text).not.toContain(s)
      } finally {
        own.destroy()
      }

      // Another participant's token, and the facilitator's, are refused before any data is sent.
      for (const token of [people[(i + 1) % 3]!.token, facilitatorToken]) {
        expect(await upgradeStatus(`${server.wsUrl}/yjs/${room}?token=${token}`)).toBe(403)
        const intruder = connectDoc(server.wsUrl, room, token)
        try {
          await waitFor(() => intruder.closes.length > 0, `${p.name}'s notebook refused`)
          intruder.provider.disconnect()
          expect(intruder.provider.synced).toBe(false)
          expect(intruder.doc.getArray('story').length).toBe(0)
          expect(intruder.doc.getMap('drafts').size).toBe(0)
        } finally {
          intruder.destroy()
        }
      }
    }
  })

  it('no page met an uncaught error', () => {
    expect(pageErrors).toEqual([])
  })
})
