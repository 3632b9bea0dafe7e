// What every attack needs: a real node, a workshop with an attacker (Alice) and an honest
// participant (Bob), a facilitator watching the board, and the three checks each attack ends with:
// the refusal (asserted by the test), the server still serving others (`stillServes`), and the
// documents unchanged, both as a fresh client sees them and as SQLite holds them (`digest`).
import path from 'node:path'
import Database from 'better-sqlite3'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { BOARD, NOTEBOOK, PERSON, peopleOf } from '../../shared/layout.js'
import type { CreateWorkshopResponse, JoinResponse } from '../../shared/protocol.js'
import { connectControl, type ControlClient } from '../support/control.js'
import { createWorkshop, joinWorkshop, startServer, waitFor, type TestServer } from '../support/server.js'
import { connectDoc, type Client } from '../support/yjs.js'
import { rawSynced, rawYjs, type RawOptions, type RawYjs } from '../support/raw.js'

export type Scene = {
  server: TestServer
  ws: CreateWorkshopResponse
  code: string
  alice: JoinResponse
  bob: JoinResponse
  /** Bob's stock client on the board: the honest participant who must keep working. */
  bobBoard: Client
  /** The facilitator's stock client on the board: sees every accepted edit. */
  facBoard: Client
}

/** Everything a test opened, closed after it (whatever happened). */
export class Tracker {
  private open: { close(): void }[] = []
  add<T extends Client | ControlClient | RawYjs | { terminate(): void }>(c: T): T {
    this.open.push({ close: () => ('destroy' in c ? c.destroy() : 'terminate' in c ? c.terminate() : c.close()) })
    return c
  }
  doc(s: Scene | TestServer, room: string, token: string, opts?: Parameters<typeof connectDoc>[3]): Client {
    const server = 'server' in s ? s.server : s
    return this.add(connectDoc(server.wsUrl, room, token, opts))
  }
  raw(s: Scene, room: string, token: string | null, opts?: RawOptions): RawYjs {
    return this.add(rawYjs(s.server.wsUrl, room, token, opts))
  }
  async rawSynced(s: Scene, room: string, token: string, opts?: RawOptions): Promise<RawYjs> {
    return this.add(await rawSynced(s.server.wsUrl, room, token, opts))
  }
  control(s: Scene, token: string, headers?: Record<string, string>): ControlClient {
    return this.add(connectControl(s.server.url, token, headers))
  }
  closeAll(): void {
    for (const c of this.open.splice(0)) {
      try {
        c.close()
      } catch {}
    }
  }
}

/** A fresh workshop on `server` with Alice (attacker) and Bob (honest), both synced observers. */
export async function newScene(server: TestServer, t: Tracker): Promise<Scene> {
  const ws = await createWorkshop(server.url, { title: 'Security drill' })
  const alice = await joinWorkshop(server.url, ws.code, 'Alice')
  const bob = await joinWorkshop(server.url, ws.code, 'Bob')
  const bobBoard = t.doc(server, ws.code, bob.participantToken)
  const facBoard = t.doc(server, ws.code, ws.facilitatorToken)
  await Promise.all([bobBoard.synced(), facBoard.synced()])
  await waitFor(() => peopleOf(facBoard.doc).has(bob.participantId), 'bob on the board')
  return { server, ws, code: ws.code, alice, bob, bobBoard, facBoard }
}

export async function bootServer(env?: Record<string, string>): Promise<TestServer> {
  return startServer({ env: { LOG_LEVEL: 'silent', ...env } })
}

// ---- what storage holds ------------------------------------------------------------------------

export function sqlite<T>(server: TestServer, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(server.dataDir, 'kasane.db'), { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

/** The document as SQLite holds it: snapshot, then every stored update in order. */
export function storedDoc(server: TestServer, room: string): Y.Doc {
  return sqlite(server, (db) => {
    const doc = new Y.Doc()
    const snap = db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').get(room) as { data: Buffer } | undefined
    const rows = db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq').all(room) as { data: Buffer }[]
    doc.transact(() => {
      if (snap) Y.applyUpdate(doc, snap.data)
      for (const r of rows) Y.applyUpdate(doc, r.data)
    })
    return doc
  })
}

/** Everything a document holds, as one comparable string: roots, state vector, deletions, content. */
export function fingerprint(doc: Y.Doc): string {
  const roots = [...doc.share.keys()].sort()
  const content: Record<string, unknown> = {}
  for (const name of [BOARD.vision, BOARD.people, NOTEBOOK.story, NOTEBOOK.cards, NOTEBOOK.drafts]) {
    if (!doc.share.has(name)) continue
    content[name] = name === NOTEBOOK.story ? doc.getArray(name).toJSON() : doc.getMap(name).toJSON()
  }
  const ds = Y.createDeleteSetFromStructStore(doc.store)
  const dels = [...ds.clients.entries()].sort((a, b) => a[0] - b[0]).map(([c, r]) => [c, r.map((x) => [x.clock, x.len])])
  const sv = [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0])
  return JSON.stringify({ roots, sv, dels, content, pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null })
}

/** The room as storage holds it and as a fresh client of `token` is told it. */
export async function digest(s: Scene, room = s.code, token = s.ws.facilitatorToken, t?: Tracker): Promise<{ stored: string; live: string }> {
  const stored = fingerprint(storedDoc(s.server, room))
  const c = connectDoc(s.server.wsUrl, room, token)
  t?.add(c)
  try {
    await c.synced()
    return { stored, live: fingerprint(c.doc) }
  } finally {
    c.destroy()
  }
}

// ---- the server still serves the others ---------------------------------------------------------

let roundTrips = 0

/**
 * Bob writes a fresh commitment through his stock client and the facilitator's client sees it;
 * a fresh honest connection syncs too. Returns the round trip in ms.
 */
export async function stillServes(s: Scene, timeoutMs = 10_000): Promise<number> {
  const word = `ok-${++roundTrips}-${Math.random().toString(36).slice(2, 8)}`
  const started = performance.now()
  const mine = peopleOf(s.bobBoard.doc).get(s.bob.participantId)!.get(PERSON.commitment) as Y.Text
  s.bobBoard.doc.transact(() => {
    mine.delete(0, mine.length)
    mine.insert(0, word)
  })
  await waitFor(
    () => (peopleOf(s.facBoard.doc).get(s.bob.participantId)?.get(PERSON.commitment) as Y.Text | undefined)?.toString() === word,
    'the honest edit to reach the facilitator',
    timeoutMs,
  )
  const ms = performance.now() - started
  const fresh = connectDoc(s.server.wsUrl, s.code, s.bob.participantToken)
  try {
    await fresh.synced()
    await waitFor(() => (peopleOf(fresh.doc).get(s.bob.participantId)?.get(PERSON.commitment) as Y.Text | undefined)?.toString() === word, 'a fresh client to sync', timeoutMs)
  } finally {
    fresh.destroy()
  }
  expect(s.bobBoard.closes, 'the honest clients were never closed').toEqual([])
  expect(s.facBoard.closes).toEqual([])
  return ms
}

/** Text of a field below people.<pid> in `doc`. */
export function personField(doc: Y.Doc, pid: string, field: string): string | undefined {
  const v = peopleOf(doc).get(pid)?.get(field)
  return v instanceof Y.Text ? v.toString() : v === undefined ? undefined : JSON.stringify(v)
}
