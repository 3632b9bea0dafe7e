// The Yjs endpoint (SPEC §5): authenticates on upgrade, owns the registry of loaded rooms, loads
// them on demand and unloads them when idle, and reacts to workshop changes (lock, removal,
// deletion).
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import * as Y from 'yjs'
import { LIMITS } from '../../shared/limits.js'
import { CLOSE, YJS_PATH, parseRoom, roomName, type RoomName } from '../../shared/protocol.js'
import type { Bus } from '../bus/bus.js'
import { AddressSlots } from '../http/address-slots.js'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import type { Store } from '../store/store.js'
import type { Workshops, Entry } from '../workshops.js'
import type { Identity, WritePolicy } from './identity.js'
import { PresencePace } from './pace.js'
import { Room } from './room.js'

export type SyncOptions = {
  store: Store
  bus: Bus
  log: Logger
  metrics: Metrics
  workshops: Workshops
  originAllowed(req: IncomingMessage): boolean
  clientAddress(req: IncomingMessage): string
  idleUnloadMs?: number
  compactEvery?: number
  maxConnectionsPerAddress?: number
}

const policyOf = (e: Entry): WritePolicy => ({ locked: e.rec.control.locked, ended: e.rec.control.ended })

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`)
}

export class SyncServer {
  private rooms = new Map<string, Room>()
  private loading = new Map<string, Promise<Room>>()
  private idleTimers = new Map<Room, NodeJS.Timeout>()
  private slots: AddressSlots
  private wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.wsMessageBytes + 64 * 1024, perMessageDeflate: false })
  private closing = false
  private pace = new PresencePace()

  constructor(private o: SyncOptions) {
    this.pace.start()
    this.slots = new AddressSlots(o.maxConnectionsPerAddress)
    o.workshops.on('changed', (code, entry) => {
      for (const room of this.roomsOf(code)) room.policy = policyOf(entry)
    })
    o.workshops.on('removed', (code, pid) => this.closeParticipant(code, pid))
    o.workshops.on('deleted', (code) => {
      for (const room of this.roomsOf(code)) this.drop(room, CLOSE.DELETED, 'workshop deleted')
    })
    o.bus.onReconnect(() => {
      for (const room of this.rooms.values()) void room.resync().catch(() => {})
    })
    o.metrics.gauge('kasane_rooms_loaded', 'Yjs rooms in memory', () => this.rooms.size)
    o.metrics.gauge('kasane_presence_interval_ms', 'How often each room relays presence now (longer while the node is busy)', () => this.pace.everyMs)
    o.metrics.gauge('kasane_connections', 'Open connections by kind', () => {
      const byKind = { board: 0, notebook: 0 }
      for (const r of this.rooms.values()) byKind[r.room.kind] += r.conns.size
      return Object.entries(byKind).map(([kind, n]) => [{ kind }, n])
    })
  }

  handles(url: string | undefined): boolean {
    return !!url && (url === YJS_PATH || url.startsWith(YJS_PATH + '/') || url.startsWith(YJS_PATH + '?'))
  }

  /** Token checked, room authorised, before any document byte: 401, 403 or 404 otherwise. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy())
    if (this.closing) return refuse(socket, 503, 'Service Unavailable')
    if (!this.o.originAllowed(req)) return refuse(socket, 403, 'Forbidden')
    const url = new URL(req.url ?? '/', 'http://localhost')
    const token = url.searchParams.get('token') ?? ''
    const who = /^[A-Za-z0-9_-]{16,128}$/.test(token) ? await this.o.workshops.identify(token) : null
    if (!who) return refuse(socket, 401, 'Unauthorized')
    let name: string
    try {
      name = decodeURIComponent(url.pathname.slice(YJS_PATH.length + 1))
    } catch {
      return refuse(socket, 404, 'Not Found')
    }
    const room = parseRoom(name)
    if (!room) return refuse(socket, 404, 'Not Found')
    if (!this.mayRead(who, room)) return refuse(socket, 403, 'Forbidden')
    const entry = await this.o.workshops.get(room.code)
    if (!entry) return refuse(socket, 404, 'Not Found')
    const address = this.o.clientAddress(req)
    if (!this.slots.take(address)) return refuse(socket, 429, 'Too Many Requests')
    // The raw socket closes both when the WebSocket ends and when the upgrade is aborted.
    socket.once('close', () => this.slots.release(address))
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, who, room, entry))
  }

  private mayRead(who: Identity, room: RoomName): boolean {
    if (who.code !== room.code) return false
    if (room.kind === 'board') return true
    return who.role === 'participant' && who.participantId === room.participantId
  }

  private async accept(ws: WebSocket, who: Identity, room: RoomName, entry: Entry): Promise<void> {
    // The client speaks first while its room may still be loading: keep what it says.
    const early: Buffer[] = []
    const keep = (data: Buffer) => {
      if (early.length < 64) early.push(data)
      else ws.close(CLOSE.TOO_LARGE, 'too many messages before the document loaded')
    }
    ws.on('message', keep)
    try {
      const r = await this.room(room, policyOf(entry))
      ws.off('message', keep)
      if (ws.readyState !== ws.OPEN) return
      this.cancelIdle(r)
      r.add(ws, who, early)
      this.o.workshops.touch(room.code, Date.now())
    } catch (err) {
      this.o.log.error('loading a room failed', { room: room.code, error: String(err) })
      ws.close(1011, 'could not load the document')
    }
  }

  private room(room: RoomName, policy: WritePolicy): Promise<Room> {
    const name = roomName(room)
    const loaded = this.rooms.get(name)
    if (loaded && !loaded.isClosed()) return Promise.resolve(loaded)
    let p = this.loading.get(name)
    if (!p) {
      const r = new Room(name, room, policy, {
        store: this.o.store,
        bus: this.o.bus,
        log: this.o.log,
        metrics: this.o.metrics,
        maxDocBytes: room.kind === 'board' ? LIMITS.boardDocBytes : LIMITS.notebookDocBytes,
        compactEvery: this.o.compactEvery ?? 500,
        presenceEveryMs: () => this.pace.everyMs,
        onEmpty: (x) => this.scheduleIdle(x),
        onActivity: (code) => this.o.workshops.touch(code, Date.now()),
      })
      this.rooms.set(name, r)
      p = r.ready.then(
        () => r,
        (err) => {
          this.rooms.delete(name)
          r.shutdown(1011, 'load failed')
          throw err
        },
      )
      this.loading.set(name, p)
      void p.finally(() => this.loading.delete(name)).catch(() => {})
    }
    return p
  }

  private roomsOf(code: string): Room[] {
    return [...this.rooms.values()].filter((r) => r.room.code === code)
  }

  private scheduleIdle(room: Room): void {
    this.cancelIdle(room)
    this.idleTimers.set(
      room,
      setTimeout(() => {
        this.idleTimers.delete(room)
        if (room.conns.size > 0 || this.rooms.get(room.name) !== room) return
        this.rooms.delete(room.name)
        void room.flushAndClose(1001, 'idle')
      }, this.o.idleUnloadMs ?? 30_000),
    )
  }

  private cancelIdle(room: Room): void {
    const t = this.idleTimers.get(room)
    if (t) clearTimeout(t)
    this.idleTimers.delete(room)
  }

  private drop(room: Room, code: number, reason: string): void {
    this.cancelIdle(room)
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name)
    room.shutdown(code, reason)
  }

  /** A removed participant: their connections close with 4401, their notebook is gone. */
  closeParticipant(code: string, participantId: string): void {
    for (const room of this.roomsOf(code)) {
      if (room.room.kind === 'notebook' && room.room.participantId === participantId) {
        this.drop(room, CLOSE.REVOKED, 'removed from the workshop')
        continue
      }
      for (const conn of [...room.conns.values()]) {
        if (conn.who.participantId === participantId) room.closeConn(conn, CLOSE.REVOKED, 'removed from the workshop')
      }
    }
  }

  /** A write of the server's own to a board: stored before it is relayed. */
  async editBoard(code: string, change: (doc: Y.Doc) => void): Promise<void> {
    const entry = await this.o.workshops.get(code)
    if (!entry) throw new Error('editBoard on an unknown workshop')
    const room = await this.room({ kind: 'board', code: entry.rec.code }, policyOf(entry))
    await room.edit(change)
    if (room.conns.size === 0) this.scheduleIdle(room)
  }

  /** A read-only copy of a document's current state, loaded or from storage. */
  async readDoc(name: string): Promise<Y.Doc> {
    const doc = new Y.Doc()
    const room = this.rooms.get(name)
    if (room && !room.isClosed()) {
      Y.applyUpdate(doc, await room.snapshot())
      return doc
    }
    const stored = await this.o.store.loadDoc(name)
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
      for (const u of stored.updates) Y.applyUpdate(doc, u)
    })
    return doc
  }

  stats(): { rooms: number; connections: number } {
    let connections = 0
    for (const r of this.rooms.values()) connections += r.conns.size
    return { rooms: this.rooms.size, connections }
  }

  /** Graceful stop: refuse new connections, flush every room, close every connection. */
  async close(): Promise<void> {
    this.closing = true
    this.pace.stop()
    for (const t of this.idleTimers.values()) clearTimeout(t)
    this.idleTimers.clear()
    await Promise.all([...this.rooms.values()].map((r) => r.flushAndClose(1001, 'server shutting down')))
    this.rooms.clear()
    this.wss.close()
  }
}
