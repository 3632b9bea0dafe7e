// One Yjs document with its presence, connections and persistence. One queue runs every message:
// an update is checked, stored (group-commit.ts), relayed once stored, and applied; a sync answer,
// a snapshot or a compaction waits until all that is applied is stored: nobody reads the unstored.
import * as decoding from 'lib0/decoding'
import type { WebSocket } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { LIMITS } from '../../shared/limits.js'
import { CLOSE, type RoomName } from '../../shared/protocol.js'
import type { Bus } from '../bus/bus.js'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import { WorkshopGoneError } from '../store/index.js'
import type { Store } from '../store/store.js'
import { filterAwareness } from './awareness-filter.js'
import { GroupCommit, type Pending } from './group-commit.js'
import { Presence } from './presence.js'
import { SerialQueue } from './queue.js'
import { binaryFrame, closeSocket, writeFrames } from './socket.js'
import { SERVER_OWNER, ownerKey, type Identity, type WritePolicy } from './identity.js'
import { bindClients, deriveOwners } from './owners.js'
import { checkUpdate } from './permissions.js'
import * as wire from './wire.js'

export type Conn = {
  ws: WebSocket
  who: Identity
  clientIds: Set<number>
  queued: number
  /** Whether the client has answered our sync step 1 (sent us its whole difference). */
  answered: boolean
}

/** A connection with this many messages waiting is not read from until they are handled. */
const MAX_QUEUED_PER_CONN = 64

export type RoomDeps = {
  store: Store
  bus: Bus
  log: Logger
  metrics: Metrics
  maxDocBytes: number
  compactEvery: number
  /** How often presence is relayed right now (pace.ts). */
  presenceEveryMs(): number
  onEmpty(room: Room): void
  onActivity(code: string): void
}

const LOAD = Symbol('load')
const BUS = Symbol('bus')
const SERVER = Symbol('server')

export class Room {
  readonly doc = new Y.Doc()
  private presence = new Presence(
    (update) => this.relay([], update),
    (update) => this.deps.bus.publish(`doc:${this.name}`, wire.busFrame(wire.BUS_AWARENESS, update)),
    () => this.deps.presenceEveryMs(),
  )
  readonly conns = new Map<WebSocket, Conn>()
  private owners = new Map<number, string>()
  private queue = new SerialQueue()
  private lastSeq = 0
  private storedBytes = 0
  private sinceCompact = 0
  private unsubscribe: () => void = () => {}
  private closed = false
  /** Where the document's updates go while `collect` runs. */
  private collecting: Uint8Array[] | null = null
  private stored: { write: (ms: number) => void; updates: (by?: number) => void }
  private writes = new GroupCommit<WebSocket | null>((batch) => this.commit(batch))
  readonly ready: Promise<void>

  constructor(
    readonly name: string,
    readonly room: RoomName,
    public policy: WritePolicy,
    private deps: RoomDeps,
  ) {
    this.doc.on('update', (u: Uint8Array) => this.collecting?.push(u))
    this.stored = {
      write: deps.metrics.histogram('kasane_store_write_ms', 'Latency of storing one update', { store: deps.store.kind }),
      updates: deps.metrics.counter('kasane_updates_total', 'Updates stored and relayed'),
    }
    this.ready = this.queue.run(() => this.load())
  }

  private async load(): Promise<void> {
    const frames: Uint8Array[] = []
    let loading = true
    this.unsubscribe = this.deps.bus.subscribe(`doc:${this.name}`, (frame) => {
      if (loading) frames.push(frame)
      else void this.queue.run(() => this.onBus(frame))
    })
    await this.reload()
    loading = false
    for (const f of frames) this.onBus(f)
    this.owners = deriveOwners(this.doc, this.room)
    this.owners.set(this.doc.clientID, SERVER_OWNER)
  }

  /** After the fan-out was interrupted: catch up with what other nodes stored meanwhile. */
  resync(): Promise<void> {
    return this.queue.run(async () => {
      await this.writes.drained()
      await this.reload()
      bindClients(this.doc, this.room, this.owners, this.doc.store.clients.keys())
    })
  }

  /** Applies everything stored (again: it is idempotent); what is new reaches the connections. */
  private async reload(): Promise<void> {
    const stored = await this.deps.store.loadDoc(this.name)
    const collected = this.collect(() => {
      this.doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot)
        for (const u of stored.updates) Y.applyUpdate(this.doc, u)
      }, LOAD)
    })
    this.lastSeq = stored.lastSeq
    this.storedBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((n, u) => n + u.length, 0)
    this.sinceCompact = stored.updates.length
    this.relay(collected.map((update) => ({ update, from: null })))
  }

  private collect(run: () => void): Uint8Array[] {
    const out: Uint8Array[] = (this.collecting = [])
    try {
      run()
    } finally {
      this.collecting = null
    }
    return out
  }

  /** `early`: what the client sent while the room was loading, handled first. */
  add(ws: WebSocket, who: Identity, early: Buffer[] = []): void {
    const conn: Conn = { ws, who, clientIds: new Set(), queued: 0, answered: false }
    this.conns.set(ws, conn)
    const onData = (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      if (bytes.length === 0) return
      if (bytes.length > LIMITS.wsMessageBytes) return this.closeConn(conn, CLOSE.TOO_LARGE, 'message too large')
      // Presence touches no document and nothing stored: handled at once, not behind the queue
      // (it is most of a busy room's messages).
      if (bytes[0] === wire.MSG_AWARENESS) return this.onAwarenessMessage(conn, bytes)
      if (++conn.queued === MAX_QUEUED_PER_CONN) ws.pause()
      void this.queue.run(() => this.onMessage(conn, bytes))
        .catch((err) => this.fail(conn, err))
        .finally(() => {
          if (conn.queued-- === MAX_QUEUED_PER_CONN) ws.resume()
        })
    }
    ws.on('message', onData)
    for (const event of ['close', 'error']) ws.on(event, () => this.remove(conn))
    void this.queue.run(() => {
      const present = this.presence.all()
      writeFrames(ws, (present ? [wire.syncStep1(this.doc), wire.awarenessMessage(present)] : [wire.syncStep1(this.doc)]).map(binaryFrame))
    })
    for (const data of early) onData(data)
  }

  private remove(conn: Conn): void {
    if (!this.conns.delete(conn.ws)) return
    this.presence.remove([...conn.clientIds])
    if (this.conns.size === 0) this.deps.onEmpty(this)
  }

  private fail(conn: Conn, err: unknown): void {
    this.deps.log.error('sync message failed', { room: this.room.code, error: String(err) })
    this.closeConn(conn, 1011, 'internal error')
  }

  closeConn(conn: Conn, code: number, reason: string): void {
    this.remove(conn)
    closeSocket(conn.ws, code, reason)
  }

  private async onMessage(conn: Conn, bytes: Uint8Array): Promise<void> {
    if (!this.conns.has(conn.ws)) return
    const d = decoding.createDecoder(bytes)
    try {
      const type = decoding.readVarUint(d)
      if (type === wire.MSG_SYNC) {
        const sub = decoding.readVarUint(d)
        const payload = decoding.readVarUint8Array(d)
        if (sub === syncProtocol.messageYjsSyncStep1) return await this.answerStep1(conn, payload)
        if (sub === syncProtocol.messageYjsSyncStep2) {
          conn.answered = true
          return await this.onUpdate(conn, payload)
        }
        if (sub === syncProtocol.messageYjsUpdate) return await this.onUpdate(conn, payload)
        throw new Error('unknown sync message')
      }
      if (type === wire.MSG_QUERY_AWARENESS) {
        const present = this.presence.all()
        if (present) conn.ws.send(wire.awarenessMessage(present))
        return
      }
      if (type === wire.MSG_AUTH) return
      throw new Error('unknown message type')
    } catch {
      this.refuse(conn, 'malformed', CLOSE.MALFORMED, 'malformed message')
    }
  }

  private refuse(conn: Conn, metric: string, code: number, reason: string): void {
    this.deps.metrics.count('kasane_rejected_updates_total', 'Messages refused, by reason', { reason: metric })
    this.closeConn(conn, code, reason)
  }

  private onAwarenessMessage(conn: Conn, bytes: Uint8Array): void {
    if (this.closed || !this.conns.has(conn.ws)) return
    try {
      const d = decoding.createDecoder(bytes)
      decoding.readVarUint(d)
      this.onClientAwareness(conn, decoding.readVarUint8Array(d))
    } catch {
      // Outside the queue nothing else would catch it: whatever a client sends must not throw.
      this.refuse(conn, 'malformed', CLOSE.MALFORMED, 'malformed message')
    }
  }

  private async answerStep1(conn: Conn, stateVector: Uint8Array): Promise<void> {
    await this.writes.drained()
    if (!this.conns.has(conn.ws)) return
    conn.ws.send(wire.syncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)))
  }

  private async onUpdate(conn: Conn, update: Uint8Array): Promise<void> {
    const verdict = checkUpdate({ doc: this.doc, room: this.room, update, who: conn.who, policy: this.policy, owners: this.owners })
    if (!verdict.ok && verdict.close === CLOSE.MISSING_DEPS && !conn.answered) {
      // A client that reconnects sends its new edits at once, before it has answered our step 1;
      // the answer (its whole difference to us) will carry them, so this one is only early.
      this.deps.metrics.count('kasane_deferred_updates_total', 'Updates that arrived before the sync they depend on')
      return
    }
    if (!verdict.ok) return this.refuse(conn, String(verdict.close), verdict.close, verdict.reason)
    if (!verdict.changes) return
    if (this.storedBytes + update.length > this.deps.maxDocBytes && !this.fitsAfterCompaction(update.length)) {
      return this.refuse(conn, 'too-large', CLOSE.TOO_LARGE, 'document too large')
    }
    // Stored and relayed is what was checked: the client's bytes when they hold nothing else (no
    // part the document has, nothing after the deletions), else those bytes re-encoded.
    const checked = verdict.asSent ? update : Y.diffUpdate(update, Y.encodeStateVector(this.doc))
    const owner = ownerKey(conn.who)
    for (const id of verdict.newClients) this.owners.set(id, owner)
    // SQLite has stored and relayed it when this returns, before the apply; PostgreSQL later.
    this.persist([checked], conn.ws)
    if (this.closed) return
    try {
      Y.applyUpdate(this.doc, checked, conn)
    } catch (err) {
      // Checked, so it should not throw; if it does, storage holds what the document does not.
      return void this.startOver('applying a stored update', err)
    }
    this.deps.onActivity(this.room.code)
  }

  /** Queues what changed for storing; it is relayed, here and to other nodes, once stored. */
  private persist(updates: Uint8Array[], except: WebSocket | null): void {
    if (updates.length === 0) return
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)
    this.storedBytes += update.length // counted now: the size cap holds for what waits too
    this.writes.push(update, except)
  }

  /** Stores a batch as one update, then relays each: at once if the store wrote at once, else when it returns. */
  private commit(batch: Pending<WebSocket | null>[]): boolean | Promise<boolean> {
    if (this.closed) return false
    const update = batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((b) => b.update))
    const started = performance.now()
    let seq: number | Promise<number>
    try {
      seq = this.deps.store.appendUpdate(this.name, update)
    } catch (err) {
      return this.startOver('storing an update', err)
    }
    if (typeof seq === 'number') return this.committed(batch, update, seq, performance.now() - started)
    return seq.then((s) => this.committed(batch, update, s, performance.now() - started), (err: unknown) => this.startOver('storing an update', err))
  }

  /** The document and storage disagree: clients reconnect to a room loaded from storage. */
  private startOver(what: string, err: unknown): false {
    const gone = err instanceof WorkshopGoneError
    if (!gone) this.deps.log.error(`${what} failed; closing the room`, { room: this.room.code, error: String(err) })
    this.shutdown(gone ? CLOSE.DELETED : 1011, gone ? 'workshop deleted' : 'internal error')
    return false
  }

  private committed(batch: Pending<WebSocket | null>[], update: Uint8Array, seq: number, ms: number): boolean {
    this.lastSeq = seq
    this.relay(batch.map((b) => ({ update: b.update, from: b.meta })))
    this.stored.write(ms)
    this.stored.updates(batch.length)
    this.deps.bus.publish(`doc:${this.name}`, wire.busFrame(wire.BUS_UPDATE, update))
    if (++this.sinceCompact >= this.deps.compactEvery) void this.queue.run(() => this.compact())
    return !this.closed
  }

  private fitsAfterCompaction(extra: number): boolean {
    this.storedBytes = Y.encodeStateAsUpdate(this.doc).length
    return this.storedBytes + extra <= this.deps.maxDocBytes
  }

  /** A write of the server's own (vision items at creation, a person's entry at join). */
  edit(change: (doc: Y.Doc) => void): Promise<void> {
    return this.queue.run(async () => {
      await this.ready
      const collected = this.collect(() => this.doc.transact(() => change(this.doc), SERVER))
      this.persist(collected, null)
      await this.writes.drained()
    })
  }

  /** From another node: an update it accepted and stored (here only applied and relayed), or presence. */
  private onBus(frame: Uint8Array): void {
    if (this.closed || frame.length < 1) return
    const payload = frame.subarray(1)
    if (frame[0] === wire.BUS_UPDATE) {
      const collected = this.collect(() => Y.applyUpdate(this.doc, payload, BUS))
      this.relay(collected.map((update) => ({ update, from: null })))
      // Client ids first seen on another node belong to whoever wrote with them there.
      if (collected.length) bindClients(this.doc, this.room, this.owners, Y.decodeUpdate(payload).structs.map((s) => s.id.client))
    } else if (frame[0] === wire.BUS_AWARENESS) {
      this.presence.applyFromBus(payload)
    }
  }

  private onClientAwareness(conn: Conn, update: Uint8Array): void {
    const allowed = filterAwareness(update, conn.who, conn.clientIds, this.claimedElsewhere(conn))
    if (!allowed) return
    for (const id of allowed.clientIds) conn.clientIds.add(id)
    this.presence.apply(allowed.update)
  }

  private claimedElsewhere(conn: Conn): (clientId: number) => boolean {
    return (clientId) => {
      for (const other of this.conns.values()) if (other !== conn && other.clientIds.has(clientId)) return true
      const owner = this.owners.get(clientId)
      return owner !== undefined && owner !== ownerKey(conn.who)
    }
  }

  /** Sends each update to every open connection but its sender, and presence once due (presence.ts): one write each. */
  private relay(updates: { update: Uint8Array; from: WebSocket | null }[], presence = this.presence.takeDue()): void {
    const messages = updates.map((u) => binaryFrame(wire.updateMessage(u.update)))
    const present = presence && binaryFrame(wire.awarenessMessage(presence))
    if (messages.length === 0 && !present) return
    for (const ws of this.conns.keys()) {
      const frames = messages.filter((_, k) => updates[k]!.from !== ws)
      if (present) frames.push(present)
      writeFrames(ws, frames)
    }
  }

  /** Replaces the update log with a snapshot of the live document. */
  async compact(): Promise<void> {
    await this.writes.drained()
    if (this.closed || this.sinceCompact === 0) return
    const snapshot = Y.encodeStateAsUpdate(this.doc)
    await this.deps.store.compactDoc(this.name, snapshot, this.lastSeq)
    this.storedBytes = snapshot.length
    this.sinceCompact = 0
  }

  /** A copy of the current state, read after everything queued before. */
  snapshot(): Promise<Uint8Array> {
    return this.queue.run(async () => {
      await this.ready
      await this.writes.drained()
      return Y.encodeStateAsUpdate(this.doc)
    })
  }

  /** Closes every connection with `code`; the room is then unusable. */
  shutdown(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    const all = [...this.conns.keys()]
    this.conns.clear()
    for (const ws of all) closeSocket(ws, code, reason)
    this.unsubscribe()
    this.presence.destroy()
    this.doc.destroy()
  }

  /** Stores a compact snapshot, then shuts down (unloading an idle room or stopping the server). */
  async flushAndClose(code: number, reason: string): Promise<void> {
    await this.queue.run(() => this.compact()).catch((err) => this.deps.log.error('flush failed', { room: this.room.code, error: String(err) }))
    this.shutdown(code, reason)
  }

  isClosed(): boolean {
    return this.closed
  }
}
