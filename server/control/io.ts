// The control plane of SPEC §4 on socket.io: token auth at the handshake, the whole state on
// connect and after every change, and commands that read authorise → validate → change →
// broadcast → acknowledge.
import type { Server as HttpServer, IncomingMessage } from 'node:http'
import { Server, type Socket } from 'socket.io'
import { LIMITS } from '../../shared/limits.js'
import {
  COMMANDS,
  PARTICIPANT_COMMANDS,
  STATE_EVENT,
  commandSchemas,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type ErrorBody,
  type ServerToClientEvents,
} from '../../shared/protocol.js'
import type { Bus } from '../bus/bus.js'
import { AddressSlots } from '../http/address-slots.js'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import type { Identity } from '../sync/identity.js'
import type { Workshops } from '../workshops.js'
import { applyCommand, type Outcome } from './core.js'
import { buildState } from './state.js'

type SocketData = { who: Identity; tokens: number; refilledAt: number; address: string }
type ControlSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>

export type ControlOptions = {
  workshops: Workshops
  bus: Bus
  log: Logger
  metrics: Metrics
  originAllowed(req: IncomingMessage): boolean
  clientAddress(req: IncomingMessage): string
  /** Control connections one client address may hold (a whole office shares one). */
  maxConnectionsPerAddress?: number
  adapter?: unknown
  /** Effects of a removal beyond the control record (board entry, notebook, connections). */
  onRemove(code: string, participantId: string): Promise<void>
}

const RATE = { perSecond: 10, burst: 30 }
const PRESENCE_CHANNEL = 'control-presence'
/** How long to wait for other nodes' sockets before counting only our own. */
const FETCH_SOCKETS_MS = 2_000
const participantRoom = (pid: string) => `participant:${pid}`

function error(code: ErrorBody['code'], message: string): Ack {
  return { ok: false, error: { code, message } }
}

export class ControlPlane {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>
  private unsubscribe: () => void
  private slots: AddressSlots

  constructor(
    http: HttpServer,
    private o: ControlOptions,
  ) {
    this.slots = new AddressSlots(o.maxConnectionsPerAddress)
    this.io = new Server(http, {
      path: '/socket.io',
      transports: ['websocket'],
      destroyUpgrade: false,
      maxHttpBufferSize: LIMITS.socketPayloadBytes,
      serveClient: false,
      ...(o.adapter ? { adapter: o.adapter as never } : {}),
    })
    this.io.use((socket, next) => void this.authenticate(socket, next))
    this.io.on('connection', (socket) => this.onConnection(socket))
    // Each node tells its own sockets, from its own copy of the workshop: a node has applied a
    // change (a lock, say) to its rooms before its clients hear of it.
    o.workshops.on('changed', (code, _entry, origin) => {
      if (origin === 'remote') void this.broadcast(code)
    })
    this.unsubscribe = o.bus.subscribe(PRESENCE_CHANNEL, (msg) => void this.broadcast(new TextDecoder().decode(msg)))
    o.metrics.gauge('kasane_control_connections', 'socket.io connections on this node', () => this.io.of('/').sockets.size)
  }

  private async authenticate(socket: ControlSocket, next: (err?: Error) => void): Promise<void> {
    if (!this.o.originAllowed(socket.request)) return next(new Error('FORBIDDEN'))
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token
    const who = typeof token === 'string' && token.length <= 128 ? await this.o.workshops.identify(token).catch(() => null) : null
    if (!who) return next(new Error('UNAUTHORIZED'))
    const address = this.o.clientAddress(socket.request)
    if (!this.slots.take(address)) return next(new Error('RATE_LIMITED'))
    socket.data = { who, tokens: RATE.burst, refilledAt: Date.now(), address }
    next()
  }

  private async onConnection(socket: ControlSocket): Promise<void> {
    const { who } = socket.data
    await socket.join(who.code)
    if (who.participantId) await socket.join(participantRoom(who.participantId))
    for (const name of COMMANDS) {
      socket.on(name, (payload: unknown, ack?: unknown) => {
        const reply = typeof ack === 'function' ? (ack as (a: Ack) => void) : () => {}
        this.command(socket, name, payload)
          .then(reply)
          .catch((err) => {
            this.o.log.error('command failed', { command: name, error: String(err) })
            reply(error('INTERNAL', 'the command could not be completed'))
          })
      })
    }
    socket.on('disconnect', () => {
      this.slots.release(socket.data.address)
      if (who.participantId) void this.announcePresence(who.code)
    })
    this.o.workshops.touch(who.code, Date.now())
    if (who.participantId) await this.announcePresence(who.code)
    else await this.sendState(socket)
  }

  private takeToken(socket: ControlSocket): boolean {
    const d = socket.data
    const now = Date.now()
    d.tokens = Math.min(RATE.burst, d.tokens + ((now - d.refilledAt) / 1000) * RATE.perSecond)
    d.refilledAt = now
    if (d.tokens < 1) return false
    d.tokens -= 1
    return true
  }

  private async command(socket: ControlSocket, name: CommandName, payload: unknown): Promise<Ack> {
    const { who } = socket.data
    // AUTH: on every command, so a revoked identity or a recovered connection is judged afresh.
    if (!this.takeToken(socket)) return error('RATE_LIMITED', 'too many commands; slow down')
    const entry = await this.o.workshops.get(who.code)
    if (!entry) return error('NOT_FOUND', 'this workshop no longer exists')
    if (who.participantId && !entry.participants.some((p) => p.participantId === who.participantId)) {
      return error('UNAUTHORIZED', 'you are no longer part of this workshop')
    }
    const allowed = who.role === 'facilitator' ? !PARTICIPANT_COMMANDS.includes(name) : PARTICIPANT_COMMANDS.includes(name)
    if (!allowed) return error('FORBIDDEN', `${name} is not yours to send`)
    if (entry.rec.control.ended) return error('ENDED', 'this workshop has ended')
    // VALIDATION
    const parsed = commandSchemas[name].safeParse(payload)
    if (!parsed.success) {
      const i = parsed.error.issues[0]
      return error('INVALID', i ? `${i.path.map(String).join('.') || 'payload'}: ${i.message}` : 'invalid payload')
    }
    if (name === 'participant:remove') {
      const pid = (parsed.data as { participantId: string }).participantId
      if (!entry.participants.some((p) => p.participantId === pid)) return error('NOT_FOUND', 'no such participant')
    }
    // RESOLUTION
    const now = Date.now()
    const online = [...(await this.onlineIds(who.code))]
    const outcome = await this.o.workshops.updateControl<Outcome>(who.code, now, (rec) => {
      if (rec.control.ended) return { result: { ok: false, error: { code: 'ENDED', message: 'this workshop has ended' } } }
      const ids = new Set(online)
      const roster = entry.participants.map((p) => p.participantId).filter((id) => ids.has(id))
      const result = applyCommand(rec.control, name, parsed.data as never, { now, online: roster, participantId: who.participantId, random: Math.random })
      return result.ok ? { control: result.control, result } : { result }
    })
    if (!outcome) return error('NOT_FOUND', 'this workshop no longer exists')
    if (!outcome.ok) return { ok: false, error: outcome.error }
    if (name === 'participant:remove') {
      const pid = (parsed.data as { participantId: string }).participantId
      await this.o.onRemove(who.code, pid)
      this.io.in(participantRoom(pid)).disconnectSockets(true)
    }
    this.o.metrics.count('kasane_commands_total', 'Control commands applied', { command: name })
    // BROADCAST, then the acknowledgement.
    await this.broadcast(who.code)
    return { ok: true }
  }

  private async onlineIds(code: string): Promise<Set<string>> {
    const everywhere = this.io.in(code).fetchSockets()
    everywhere.catch(() => {})
    let timer: NodeJS.Timeout | undefined
    const fallback = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), FETCH_SOCKETS_MS)))
    // While the other nodes cannot be asked (the bus is down), our own sockets are all we know.
    const sockets = (await Promise.race([everywhere.catch(() => null), fallback])) ?? (await this.io.local.in(code).fetchSockets())
    clearTimeout(timer)
    const ids = new Set<string>()
    for (const s of sockets) if (s.data.who?.participantId) ids.add(s.data.who.participantId)
    return ids
  }

  /**
   * Sends the whole state to this node's sockets of the workshop. Other nodes send it to theirs
   * when they hear of the change (or of presence, below).
   */
  async broadcast(code: string): Promise<void> {
    const online = await this.onlineIds(code)
    const entry = await this.o.workshops.get(code)
    if (!entry) return
    this.io.local.to(entry.rec.code).emit(STATE_EVENT, buildState(entry.rec, entry.participants, online, Date.now()))
  }

  /** Someone came or went: every node re-sends the state. */
  private async announcePresence(code: string): Promise<void> {
    this.o.bus.publish(PRESENCE_CHANNEL, new TextEncoder().encode(code))
    await this.broadcast(code)
  }

  private async sendState(socket: ControlSocket): Promise<void> {
    const entry = await this.o.workshops.get(socket.data.who.code)
    if (!entry) return void socket.disconnect(true)
    socket.emit(STATE_EVENT, buildState(entry.rec, entry.participants, await this.onlineIds(entry.rec.code), Date.now()))
  }

  /** Closes every control connection of a workshop (deleted) or of one participant (removed). */
  disconnect(code: string, participantId?: string): void {
    this.io.in(participantId ? participantRoom(participantId) : code).disconnectSockets(true)
  }

  async close(): Promise<void> {
    this.unsubscribe()
    this.io.disconnectSockets(true)
    await new Promise<void>((resolve) => this.io.close(() => resolve()))
  }
}
