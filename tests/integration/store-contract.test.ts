// The one contract every Store passes: SQLite always, PostgreSQL when DATABASE_URL is set (in a
// schema of its own, dropped afterwards). Two instances stand in for two nodes where races matter.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { WorkshopGoneError } from '../../server/store/index.js'
import { PostgresStore } from '../../server/store/postgres.js'
import { SqliteStore } from '../../server/store/sqlite.js'
import type { ControlRecord, ParticipantRecord, Store, StoredDoc, WorkshopRecord } from '../../server/store/store.js'

type Harness = {
  /** Two stores on the same data, as two nodes (or two processes) would see it. */
  open(): Promise<[Store, Store]>
  teardown(): Promise<void>
  /** The bytes of the database files that must not keep deleted text, where we can read them. */
  files?(): Promise<Buffer[] | null>
  /** A new instance on the same data, after the others were closed (a restart). */
  reopen(): Promise<Store>
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const newCode = () => Array.from(randomBytes(6), (b) => ALPHABET[b % ALPHABET.length]).join('')
const hash = () => randomBytes(32).toString('hex')
const enc = (s: string) => new TextEncoder().encode(s)
/** mulberry32: the same sizes on every run, so a layout that once leaked keeps being tested. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** A live document and the updates it produces, as a room stores them. */
function live() {
  const doc = new Y.Doc()
  const text = doc.getText('t')
  let last: Uint8Array | null = null
  doc.on('update', (u: Uint8Array) => (last = u))
  return {
    doc,
    write(s: string): Uint8Array {
      text.insert(text.length, s)
      return last!
    },
    state: () => Y.encodeStateAsUpdate(doc),
  }
}

/** The text a stored document comes back with. */
function textOf(stored: Pick<StoredDoc, 'snapshot' | 'updates'>): string {
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const u of stored.updates) Y.applyUpdate(doc, u)
  return doc.getText('t').toString()
}

const control = (): ControlRecord => ({
  phases: [{ id: 'checkin', kind: 'checkin', title: 'Check-in', prompt: 'How are you?', durationSec: 300 }],
  phaseIndex: 0,
  timer: { status: 'idle', endsAt: null, remainingMs: 300_000 },
  locked: false,
  ended: false,
  focus: null,
  ready: {},
  groups: {},
})

const workshop = (over: Partial<WorkshopRecord> = {}): WorkshopRecord => ({
  code: newCode(),
  title: 'Team offsite',
  locale: 'ja',
  template: 'my-purpose',
  facilitatorTokenHash: hash(),
  control: control(),
  createdAt: 1_700_000_000_000,
  lastActivity: 1_700_000_000_000,
  ...over,
})

let pid = 0
const participant = (code: string, over: Partial<ParticipantRecord> = {}): ParticipantRecord => ({
  code,
  participantId: `p${String(++pid).padStart(7, '0')}${randomBytes(3).toString('hex')}`,
  name: 'Aiko',
  color: '#336699',
  tokenHash: hash(),
  joinedAt: 1_700_000_000_000 + pid,
  ...over,
})

/** `shared`: several nodes use this storage at once, each relaying to the others after storing. */
function contract(name: string, shared: boolean, make: () => Harness) {
  describe(`Store contract: ${name}`, () => {
    let h: Harness
    let a: Store
    let b: Store

    beforeAll(async () => {
      h = make()
      ;[a, b] = await h.open()
    })
    afterAll(async () => {
      await a?.close()
      await b?.close()
      await h?.teardown()
    })

    it('is reachable', async () => {
      expect(await a.ping()).toBe(true)
    })

    it('creates and reads a workshop; a taken code answers false and changes nothing', async () => {
      const w = workshop({ title: '未来を重ねる <script>' })
      expect(await a.createWorkshop(w)).toBe(true)
      expect(await b.getWorkshop(w.code)).toEqual(w)
      expect(await b.createWorkshop(workshop({ code: w.code, title: 'Other' }))).toBe(false)
      expect(await a.getWorkshop(w.code)).toEqual(w)
      expect(await a.getWorkshop(newCode())).toBeNull()
    })

    it('updateControl loses no update when many run at once on two nodes', async () => {
      const w = workshop()
      await a.createWorkshop(w)
      const n = 40
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          (i % 2 ? a : b).updateControl(w.code, w.lastActivity + 1 + i, (rec) => {
            const next = rec.control.phaseIndex + 1
            return { control: { ...rec.control, phaseIndex: next }, result: next }
          }),
        ),
      )
      // Each change saw a distinct value: no two read the same state.
      expect([...results].sort((x, y) => x! - y!)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
      const after = (await a.getWorkshop(w.code))!
      expect(after.control.phaseIndex).toBe(n)
      expect(after.lastActivity).toBe(w.lastActivity + n)
    })

    it('updateControl writes nothing when the change declines or throws, and answers null for no workshop', async () => {
      const w = workshop()
      await a.createWorkshop(w)
      expect(await a.updateControl(w.code, w.lastActivity + 5, () => ({ result: 'refused' }))).toBe('refused')
      await expect(
        b.updateControl(w.code, w.lastActivity + 6, (rec) => {
          rec.control.locked = true
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      expect(await a.getWorkshop(w.code)).toEqual(w)
      expect(await a.updateControl(newCode(), 1, () => ({ control: control(), result: 1 }))).toBeNull()
    })

    it('touch moves last activity forward only; staleWorkshops lists what is older', async () => {
      const old = workshop({ lastActivity: 1000 })
      const fresh = workshop({ lastActivity: 5000 })
      await a.createWorkshop(old)
      await a.createWorkshop(fresh)
      let stale = await b.staleWorkshops(3000)
      expect(stale).toContain(old.code)
      expect(stale).not.toContain(fresh.code)
      await b.touch(old.code, 6000)
      await b.touch(fresh.code, 10)
      expect((await a.getWorkshop(fresh.code))!.lastActivity).toBe(5000)
      stale = await a.staleWorkshops(5500)
      expect(stale).toContain(fresh.code)
      expect(stale).not.toContain(old.code)
    })

    it('addParticipant admits exactly max under concurrent joins from two nodes', async () => {
      const w = workshop()
      await a.createWorkshop(w)
      const max = 5
      const joins = Array.from({ length: 14 }, () => participant(w.code))
      const answers = await Promise.all(joins.map((p, i) => (i % 2 ? a : b).addParticipant(p, max)))
      expect(answers.filter((x) => x === 'ok')).toHaveLength(max)
      expect(answers.filter((x) => x === 'full')).toHaveLength(joins.length - max)
      const listed = await a.listParticipants(w.code)
      expect(listed.map((p) => p.participantId).sort()).toEqual(joins.filter((_, i) => answers[i] === 'ok').map((p) => p.participantId).sort())
      const first = joins[answers.indexOf('ok')]!
      expect(await b.getParticipant(w.code, first.participantId)).toEqual(first)
      expect(await b.getParticipant(w.code, joins[answers.indexOf('full')]!.participantId)).toBeNull()
    })

    it('findToken tells facilitator, participant and unknown apart', async () => {
      const w = workshop()
      await a.createWorkshop(w)
      const p = participant(w.code)
      expect(await a.addParticipant(p, 10)).toBe('ok')
      expect(await b.findToken(w.facilitatorTokenHash)).toEqual({ role: 'facilitator', code: w.code })
      expect(await b.findToken(p.tokenHash)).toEqual({ role: 'participant', code: w.code, participantId: p.participantId })
      expect(await b.findToken(hash())).toBeNull()
      expect(await b.findToken("' OR 1=1 --")).toBeNull()
    })

    it('removeParticipant revokes the token and deletes only that notebook', async () => {
      const w = workshop()
      await a.createWorkshop(w)
      const [gone, stays] = [participant(w.code), participant(w.code)]
      await a.addParticipant(gone, 10)
      await a.addParticipant(stays, 10)
      const nbGone = `${w.code}/notebook/${gone.participantId}`
      const nbStays = `${w.code}/notebook/${stays.participantId}`
      const diary = live()
      const s1 = await a.appendUpdate(nbGone, diary.write('private-1'))
      await a.compactDoc(nbGone, diary.state(), s1)
      await a.appendUpdate(nbGone, diary.write('private-2'))
      await a.appendUpdate(nbStays, enc('kept'))
      await a.appendUpdate(w.code, enc('board'))
      await b.removeParticipant(w.code, gone.participantId)
      expect(await a.findToken(gone.tokenHash)).toBeNull()
      expect(await a.getParticipant(w.code, gone.participantId)).toBeNull()
      expect((await a.listParticipants(w.code)).map((p) => p.participantId)).toEqual([stays.participantId])
      expect(await a.loadDoc(nbGone)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      expect((await a.loadDoc(nbStays)).updates.map((u) => Buffer.from(u).toString())).toEqual(['kept'])
      expect((await a.loadDoc(w.code)).updates).toHaveLength(1)
      expect(await a.findToken(stays.tokenHash)).not.toBeNull()
    })

    it('appends, loads and compacts in order: snapshot plus later updates only', async () => {
      const doc = newCode()
      await a.createWorkshop(workshop({ code: doc }))
      const other = `${doc}/notebook/abcdefgh`
      expect(await a.loadDoc(doc)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      const same = (got: Uint8Array[], want: Uint8Array[]) => expect(got.map((u) => Buffer.from(u).toString('hex'))).toEqual(want.map((u) => Buffer.from(u).toString('hex')))

      const room = live()
      const sent: Uint8Array[] = []
      const seqs: number[] = []
      const states: Uint8Array[] = []
      const binary: Uint8Array[] = []
      for (const ch of 'abcdef') {
        const u = room.write(ch)
        sent.push(u)
        seqs.push(await (sent.length % 2 ? a : b).appendUpdate(doc, u))
        states.push(room.state())
        // Any bytes at all come back as they went in, zeros included.
        binary.push(new Uint8Array([0, 255, 0, ...randomBytes(60)]))
        await a.appendUpdate(other, binary[binary.length - 1]!)
      }
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!)

      let loaded = await b.loadDoc(doc)
      expect(loaded.snapshot).toBeNull()
      same(loaded.updates, sent)
      expect(loaded.lastSeq).toBe(seqs[5])
      same((await b.loadDoc(other)).updates, binary)

      await a.compactDoc(doc, states[3]!, seqs[3]!)
      const later = room.write('g')
      const seq7 = await b.appendUpdate(doc, later)
      loaded = await b.loadDoc(doc)
      expect(textOf({ snapshot: loaded.snapshot, updates: [] })).toBe('abcd')
      same(loaded.updates, [sent[4]!, sent[5]!, later])
      expect(textOf(loaded)).toBe('abcdefg')
      expect(loaded.lastSeq).toBe(seq7)

      // A compaction that arrives late (older state, older uptoSeq) loses nothing newer.
      await b.compactDoc(doc, states[1]!, seqs[1]!)
      loaded = await a.loadDoc(doc)
      expect(textOf({ snapshot: loaded.snapshot, updates: [] })).toBe('abcd')
      expect(textOf(loaded)).toBe('abcdefg')

      // Compacting everything leaves the snapshot alone and keeps the sequence known.
      await a.compactDoc(doc, room.state(), seq7)
      loaded = await a.loadDoc(doc)
      expect(loaded.updates).toEqual([])
      expect(textOf(loaded)).toBe('abcdefg')
      expect(loaded.lastSeq).toBe(seq7)
      expect(await a.appendUpdate(doc, room.write('h'))).toBeGreaterThan(seq7)

      await b.deleteDoc(doc)
      expect(await a.loadDoc(doc)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      expect((await a.loadDoc(other)).updates).toHaveLength(6)
    })

    it.skipIf(!shared)('a node compacting before another node\'s stored update reached it loses nothing', async () => {
      const code = newCode()
      await a.createWorkshop(workshop({ code }))
      // One document, live on two nodes: each has stored its own edit, neither has the other's yet.
      const onA = live()
      const onB = live()
      const seqA = await a.appendUpdate(code, onA.write('A'))
      const fromB = onB.write('B')
      const seqB = await b.appendUpdate(code, fromB)
      expect(seqB).toBeGreaterThan(seqA)
      await b.compactDoc(code, onB.state(), seqB)
      expect(textOf(await a.loadDoc(code)).split('').sort().join('')).toBe('AB')
      // And A, behind on both counts, compacts with what it has.
      await a.compactDoc(code, onA.state(), seqA)
      expect(textOf(await b.loadDoc(code)).split('').sort().join('')).toBe('AB')
      // Once both edits are in one state, the log empties.
      Y.applyUpdate(onA.doc, fromB)
      await a.compactDoc(code, onA.state(), seqB)
      const loaded = await b.loadDoc(code)
      expect(loaded.updates).toEqual([])
      expect(textOf(loaded).split('').sort().join('')).toBe('AB')
    })

    it('deleteWorkshop removes the workshop, its people and its documents, and nothing else', async () => {
      const marker = `kasane-secret-${randomBytes(6).toString('hex')}`
      const w = workshop({ title: `${marker}-title` })
      const neighbour = workshop()
      await a.createWorkshop(w)
      await a.createWorkshop(neighbour)
      const p = participant(w.code, { name: `${marker}-name` })
      await a.addParticipant(p, 10)
      await a.addParticipant(participant(neighbour.code), 10)
      const notebook = `${w.code}/notebook/${p.participantId}`
      const board = live()
      const seq = await a.appendUpdate(w.code, board.write(`${marker}-board`))
      await a.compactDoc(w.code, board.state(), seq)
      await a.appendUpdate(w.code, board.write(`${marker}-board-2`))
      // Large enough to spill onto overflow (SQLite) or TOAST (PostgreSQL) pages.
      await a.appendUpdate(notebook, enc(`${marker}-notebook-`.repeat(800)))
      // Enough interleaved rows, some spilling onto overflow pages, that the b-trees rebalance and
      // move cells around: stale copies of moved cells are where deleted text used to survive.
      const bulk = `${neighbour.code}/notebook/bulk`
      const size = seeded(1)
      for (let i = 0; i < 3000; i += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, j) => {
            const k = i + j
            const mine = k % 2 === 0
            return a.appendUpdate(mine ? notebook : bulk, enc(`${mine ? marker : 'unrelated'}-${randomBytes(k % 100 === 0 ? 6000 : Math.floor(size() * 200)).toString('hex')}`))
          }),
        )
      }
      // Names that sort right next to the workshop's range must survive it.
      const nearby = [neighbour.code, `${w.code}.`, `${w.code}0`, `${w.code}X/notebook/x`]
      for (const d of nearby.slice(1)) await a.createWorkshop(workshop({ code: d.split('/')[0] }))
      for (const d of nearby) await a.appendUpdate(d, enc('unrelated'))

      const files = (await h.files?.()) ?? null
      const inFiles = async () => Buffer.concat((await h.files!())!).includes(marker)
      if (files) expect(Buffer.concat(files).includes(marker), 'the text is in the files to begin with').toBe(true)

      await b.deleteWorkshop(w.code)
      expect(await a.getWorkshop(w.code)).toBeNull()
      expect(await a.listParticipants(w.code)).toEqual([])
      expect(await a.findToken(w.facilitatorTokenHash)).toBeNull()
      expect(await a.findToken(p.tokenHash)).toBeNull()
      expect(await a.loadDoc(w.code)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      expect(await a.loadDoc(notebook)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      for (const d of nearby) expect((await a.loadDoc(d)).updates).toHaveLength(1)
      expect((await a.loadDoc(bulk)).updates).toHaveLength(1500)
      expect(await a.getWorkshop(neighbour.code)).toEqual(neighbour)
      expect(await a.listParticipants(neighbour.code)).toHaveLength(1)
      if (files) expect(await inFiles(), 'deleted text left in the database files').toBe(false)
    })

    it('refuses to store anything for a workshop that is gone, so a lagging room leaves nothing', async () => {
      const w = workshop()
      await a.createWorkshop(w)
      const notebook = `${w.code}/notebook/abcdefgh`
      const diary = live()
      const seq = await a.appendUpdate(notebook, diary.write('before'))
      await a.deleteWorkshop(w.code)
      await expect(Promise.resolve().then(() => b.appendUpdate(w.code, enc('after')))).rejects.toThrow(WorkshopGoneError)
      await expect(Promise.resolve().then(() => b.appendUpdate(notebook, diary.write('after')))).rejects.toThrow(WorkshopGoneError)
      await b.compactDoc(notebook, diary.state(), seq)
      expect(await a.loadDoc(w.code)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      expect(await a.loadDoc(notebook)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      await expect(Promise.resolve().then(() => a.appendUpdate(newCode(), enc('never created')))).rejects.toThrow(WorkshopGoneError)
    })

    it('a room code deleted and drawn again serves the new workshop on every node', async () => {
      const first = workshop()
      await a.createWorkshop(first)
      await b.appendUpdate(first.code, enc('first workshop'))
      await a.deleteWorkshop(first.code)
      const second = workshop({ code: first.code })
      expect(await a.createWorkshop(second)).toBe(true)
      // b last saw the first workshop; what it writes now belongs to the second.
      const room = live()
      const seq = await b.appendUpdate(second.code, room.write('second'))
      await b.compactDoc(second.code, room.state(), seq)
      const again = room.write(' again')
      await b.appendUpdate(second.code, again)
      const loaded = await a.loadDoc(second.code)
      expect(textOf({ snapshot: loaded.snapshot, updates: [] })).toBe('second')
      expect(loaded.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual([Buffer.from(again).toString('hex')])
      expect(textOf(loaded)).toBe('second again')
      expect((await b.loadDoc(second.code)).updates).toHaveLength(1)
    })

    it('keeps everything across a restart (migrations run again, no cached keys)', async () => {
      const w = workshop()
      await a.createWorkshop(w)
      const seq = await a.appendUpdate(w.code, enc('durable'))
      await a.close()
      await b.close()
      a = await h.reopen()
      b = await h.reopen()
      expect(await a.getWorkshop(w.code)).toEqual(w)
      expect((await b.loadDoc(w.code)).updates.map((u) => Buffer.from(u).toString())).toEqual(['durable'])
      expect(await b.appendUpdate(w.code, enc('more'))).toBeGreaterThan(seq)
    })
  })
}

contract('sqlite', false, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasane-store-'))
  const file = path.join(dir, 'kasane.db')
  return {
    async open() {
      return [new SqliteStore(dir), new SqliteStore(dir)]
    },
    async teardown() {
      fs.rmSync(dir, { recursive: true, force: true })
    },
    files: async () => [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
    reopen: async () => new SqliteStore(dir),
  }
})

if (!process.env.DATABASE_URL) console.warn('Store contract: PostgreSQL skipped because DATABASE_URL is not set')
describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL', () => {
  contract('postgres', true, () => {
    const url = process.env.DATABASE_URL!
    const schema = `kasane_test_${randomBytes(6).toString('hex')}`
    return {
      // Both open at once, as nodes starting together do: the migration lock must hold.
      async open() {
        const [x, y] = await Promise.all([PostgresStore.open(url, { schema }), PostgresStore.open(url, { schema })])
        return [x, y]
      },
      async teardown() {
        await admin(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
      },
      // Only where the server's files are readable from here (same machine, enough rights).
      files: () => relationFiles(url, schema, ['workshops', 'participants', 'doc_updates', 'doc_snapshots']),
      reopen: () => PostgresStore.open(url, { schema }),
    }
  })

  // Document bytes are sealed in the database; workshops created before document keys existed
  // (schema version 1) keep working, unsealed.
  it('seals document bytes, and serves a workshop that has no document key', async () => {
    const url = process.env.DATABASE_URL!
    const schema = `kasane_test_${randomBytes(6).toString('hex')}`
    let store = await PostgresStore.open(url, { schema })
    try {
      const sealed = workshop()
      await store.createWorkshop(sealed)
      const marker = `sealed-${randomBytes(6).toString('hex')}`
      await store.appendUpdate(sealed.code, live().write(marker))
      const stored = await admin(url, (c) => c.query<{ data: Buffer }>(`SELECT data FROM "${schema}".doc_updates WHERE doc = $1`, [sealed.code]))
      expect(stored.rows).toHaveLength(1)
      expect(stored.rows[0]!.data.includes(marker)).toBe(false)
      expect(textOf(await store.loadDoc(sealed.code))).toBe(marker)

      const w = workshop()
      await store.createWorkshop(w)
      await store.close()
      await admin(url, (c) => c.query(`UPDATE "${schema}".workshops SET doc_key = NULL WHERE code = $1`, [w.code]))
      store = await PostgresStore.open(url, { schema })
      const room = live()
      const seq = await store.appendUpdate(w.code, room.write('legacy'))
      await store.compactDoc(w.code, room.state(), seq)
      await store.appendUpdate(w.code, room.write(' still'))
      expect(textOf(await store.loadDoc(w.code))).toBe('legacy still')
      const raw = await admin(url, (c) => c.query<{ data: Buffer }>(`SELECT data FROM "${schema}".doc_snapshots WHERE doc = $1`, [w.code]))
      expect(textOf({ snapshot: raw.rows[0]!.data, updates: [] })).toBe('legacy')
      await store.deleteWorkshop(w.code)
      expect(await store.loadDoc(w.code)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
    } finally {
      await store.close()
      await admin(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
    }
  })
})

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

/** The current files of some tables (and their TOAST tables), flushed first; null when unreadable. */
async function relationFiles(url: string, schema: string, tables: string[]): Promise<Buffer[] | null> {
  try {
    return await admin(url, async (c) => {
      await c.query('CHECKPOINT')
      const dir = (await c.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d
      const r = await c.query<{ p: string | null }>(
        `SELECT pg_relation_filepath(oid) AS p FROM pg_class
         WHERE relnamespace = $1::regnamespace AND relname = ANY($2)
         UNION ALL
         SELECT pg_relation_filepath(reltoastrelid) FROM pg_class
         WHERE relnamespace = $1::regnamespace AND relname = ANY($2) AND reltoastrelid <> 0`,
        [schema, tables],
      )
      return r.rows.filter((row) => row.p).map((row) => fs.readFileSync(path.join(dir, row.p!)))
    })
  } catch (err) {
    console.warn(`Store contract: PostgreSQL data files not readable from here, byte check skipped (${String(err)})`)
    return null
  }
}
