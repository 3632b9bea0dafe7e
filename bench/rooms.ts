// Creating a benchmark room on each server, with the same document shape everywhere:
//  - kasane: a workshop through the HTTP API (the server writes the vision items), then one join
//    per participant (the server writes each `people` entry at join); kasane-2nodes the same
//    through node A, its participants connecting alternately to node A and node B;
//  - peers: one setup client writes the same vision items and `people` entries up front and stays
//    connected until every participant has synced.
import { nanoid } from 'nanoid'
import * as Y from 'yjs'
import { createPerson, createVisionItem } from '../shared/layout.js'
import { BenchClient, type ClientSpec, type Framing } from './client.js'
import type { ServerKind } from './servers.js'
import { sleep } from './stats.js'

export type Target = { kind: ServerKind; wsBase: string; wsBases?: string[]; httpBase: string }

export type RoomPlan = {
  target: Target
  /** Unique within the run; also names the peers' documents. */
  roomIndex: number
  participants: number
  /** Source address of this room's connections (see bench/README.md, "one address per room"). */
  localAddress?: string
  runId: string
}

export type PreparedRoom = {
  plan: RoomPlan
  docName: string
  specs: ClientSpec[]
  /** Kasane: how to add one more participant (the join scenario). */
  join: (name: string) => Promise<ClientSpec>
  /** Peers: the client that wrote the people entries, closed by `release()`. */
  release: () => void
  /** HTTP requests made for this room, and how many of them were answered 429. */
  counters: Counters
}

const VISION = ['Make every voice count', 'Grow with our customers', 'Craft that lasts']
const PEER_COLOR = '#4c6ef5'
const HTTP_TIMEOUT_MS = 15_000
const MAX_RETRIES = 20

export type Counters = { httpRequests: number; rateLimited: number }

async function postJson<T>(url: string, body: unknown, counters: Counters): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    counters.httpRequests++
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    })
    if (res.status === 429 && attempt < MAX_RETRIES) {
      counters.rateLimited++
      const after = Number(res.headers.get('retry-after') ?? '1')
      await res.body?.cancel()
      await sleep(Math.min(10, Number.isFinite(after) ? after : 1) * 1000)
      continue
    }
    if (!res.ok) throw new Error(`POST ${new URL(url).pathname}: HTTP ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
}

/** Whether a server is Kasane's (joined over its HTTP API), of this checkout or another. */
export const isKasane = (kind: ServerKind) => kind === 'kasane' || kind === 'kasane-2nodes' || kind === 'kasane-base'

function framingOf(kind: ServerKind): Framing {
  return kind === 'hocuspocus' ? 'hocuspocus' : 'y-websocket'
}

export async function prepareRoom(plan: RoomPlan): Promise<PreparedRoom> {
  const { target } = plan
  const counters: Counters = { httpRequests: 0, rateLimited: 0 }
  if (isKasane(target.kind)) {
    const wsBases = target.wsBases ?? [target.wsBase]
    let joined = 0
    const ws = await postJson<{ code: string }>(
      `${target.httpBase}/api/workshops`,
      { title: `Bench ${plan.roomIndex}`, locale: 'en', vision: VISION.map((title) => ({ title })) },
      counters,
    )
    const join = async (name: string): Promise<ClientSpec> => {
      const p = await postJson<{ participantId: string; participantToken: string; color: string }>(
        `${target.httpBase}/api/workshops/${ws.code}/participants`,
        { name },
        counters,
      )
      return {
        url: `${wsBases[joined++ % wsBases.length]}/${ws.code}?token=${p.participantToken}`,
        docName: ws.code,
        framing: 'y-websocket',
        token: p.participantToken,
        localAddress: plan.localAddress,
        participantId: p.participantId,
        name,
        color: p.color,
      }
    }
    const specs: ClientSpec[] = []
    for (let i = 0; i < plan.participants; i++) specs.push(await join(`P${i + 1}`))
    return { plan, docName: ws.code, specs, join, release: () => {}, counters }
  }

  const docName = `bench-${plan.runId}-${plan.roomIndex}`
  const specFor = (participantId: string, name: string): ClientSpec => ({
    url: `${target.wsBase}/${docName}`,
    docName,
    framing: framingOf(target.kind),
    token: 'bench',
    localAddress: plan.localAddress,
    participantId,
    name,
    color: PEER_COLOR,
  })
  const specs: ClientSpec[] = []
  for (let i = 0; i < plan.participants; i++) specs.push(specFor(nanoid(12), `P${i + 1}`))
  const setup = new BenchClient(specFor('setup', 'setup'), -1, 'full', null)
  await setup.connect()
  setup.change((doc: Y.Doc) => {
    VISION.forEach((title, i) => createVisionItem(doc, nanoid(12), title, '', { x: 200 * i, y: 0 }))
    for (const s of specs) createPerson(doc, s.participantId)
  })
  await setup.roundTrip()
  const join = async (name: string): Promise<ClientSpec> => specFor(nanoid(12), name)
  return { plan, docName, specs, join, release: () => setup.close(), counters }
}
