// Hostile raw clients: plain `ws` sockets speaking hand-built y-protocols frames to /yjs, and raw
// engine.io/socket.io packets to /socket.io. They do exactly what they are told, nothing more: no
// reconnects, no retries, no validation, so a test sees the server's answer to each frame.
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { waitFor } from './server.js'

// ---- y-protocols frames ------------------------------------------------------------------------

export const MSG = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const
export const SYNC = { step1: 0, step2: 1, update: 2 } as const

/** A sync frame: message type 0, sub-type, then the payload as a varUint8Array. */
export function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG.sync)
  encoding.writeVarUint(e, sub)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

export const updateFrame = (update: Uint8Array) => syncFrame(SYNC.update, update)
export const step2Frame = (update: Uint8Array) => syncFrame(SYNC.step2, update)
export const step1Frame = (stateVector: Uint8Array) => syncFrame(SYNC.step1, stateVector)

/** An awareness frame around an awareness update. */
export function awarenessFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG.awareness)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

/** An awareness update built by hand: any client id, any clock, any state (JSON text or value). */
export function awarenessUpdate(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const x of entries) {
    encoding.writeVarUint(e, x.clientId)
    encoding.writeVarUint(e, x.clock)
    encoding.writeVarString(e, typeof x.state === 'string' ? x.state : JSON.stringify(x.state))
  }
  return encoding.toUint8Array(e)
}

/** Any bytes: for truncated and garbage frames. */
export const bytes = (...xs: number[]) => new Uint8Array(xs)
export const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'))

/** Sends now when open, after the open when still connecting, and never after the close. */
function sender(ws: WebSocket): (frame: Uint8Array | string) => void {
  const queued: (Uint8Array | string)[] = []
  ws.once('open', () => {
    for (const f of queued.splice(0)) ws.send(f)
  })
  return (frame) => {
    if (ws.readyState === ws.OPEN) ws.send(frame)
    else if (ws.readyState === ws.CONNECTING) queued.push(frame)
  }
}

// ---- a raw Yjs connection -----------------------------------------------------------------------

export type Closed = { code: number; reason: string }

export type RawYjs = {
  ws: WebSocket
  /** A local mirror: everything the server sent is applied here (origin 'server'). */
  doc: Y.Doc
  /** Awareness states the server relayed to this connection, by client id (null: removed). */
  awareness: Map<number, unknown>
  /** Resolves with the HTTP status when the upgrade is refused, or 101 once open. */
  opened: Promise<number>
  /** Resolves when the socket closes (never rejects). */
  closed: Promise<Closed>
  closeInfo(): Closed | null
  /** Waits until the server's sync step 2 has been applied to `doc`. */
  synced(timeoutMs?: number): Promise<void>
  send(frame: Uint8Array | string): void
  /** Runs `change` on the local doc and returns the update it produced, without sending it. */
  capture(change: (doc: Y.Doc) => void): Uint8Array
  /** Sends a sync update (sub-type 2 unless told) carrying `update`. */
  sendUpdate(update: Uint8Array, sub?: number): void
  /** Waits for the close and returns its code (fails after timeoutMs). */
  closeCode(timeoutMs?: number): Promise<number>
  terminate(): void
}

export type RawOptions = {
  headers?: Record<string, string>
  /** Send a step 1 on open and answer the server's step 1, as a y-websocket client does (default true). */
  handshake?: boolean
  doc?: Y.Doc
}

export function rawYjs(wsUrl: string, room: string, token: string | null, opts: RawOptions = {}): RawYjs {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const ws = new WebSocket(`${wsUrl}/yjs/${room}${query}`, { headers: opts.headers, maxPayload: 64 * 1024 * 1024 })
  ws.binaryType = 'nodebuffer'
  const doc = opts.doc ?? new Y.Doc()
  const awareness = new Map<number, unknown>()
  const handshake = opts.handshake ?? true
  let closeInfo: Closed | null = null
  let synced = false

  const opened = new Promise<number>((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => {
      resolve(101)
      if (handshake) ws.send(step1Frame(Y.encodeStateVector(doc)))
    })
    ws.on('error', () => resolve(0))
  })
  const closed = new Promise<Closed>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() }
      resolve(closeInfo)
    })
  })

  ws.on('message', (data: Buffer) => {
    try {
      const d = decoding.createDecoder(new Uint8Array(data))
      const type = decoding.readVarUint(d)
      if (type === MSG.sync) {
        const sub = decoding.readVarUint(d)
        const payload = decoding.readVarUint8Array(d)
        if (sub === SYNC.step1) {
          if (handshake && ws.readyState === ws.OPEN) ws.send(step2Frame(Y.encodeStateAsUpdate(doc, payload)))
        } else {
          Y.applyUpdate(doc, payload, 'server')
          if (sub === SYNC.step2) synced = true
        }
      } else if (type === MSG.awareness) {
        const u = decoding.createDecoder(decoding.readVarUint8Array(d))
        const n = decoding.readVarUint(u)
        for (let i = 0; i < n; i++) {
          const id = decoding.readVarUint(u)
          decoding.readVarUint(u)
          awareness.set(id, JSON.parse(decoding.readVarString(u)))
        }
      }
    } catch {
      // A raw client reads what it can; a test asserts on what arrived.
    }
  })

  const send = sender(ws)

  return {
    ws,
    doc,
    awareness,
    opened,
    closed,
    closeInfo: () => closeInfo,
    synced: (timeoutMs = 10_000) => waitFor(() => synced, `raw sync of ${room}`, timeoutMs).then(() => {}),
    send,
    capture: (change) => {
      const out: Uint8Array[] = []
      const h = (u: Uint8Array, origin: unknown) => origin === 'local' && out.push(u)
      doc.on('update', h)
      try {
        doc.transact(() => change(doc), 'local')
      } finally {
        doc.off('update', h)
      }
      if (out.length !== 1) throw new Error(`the change produced ${out.length} updates`)
      return out[0]!
    },
    sendUpdate: (update, sub = SYNC.update) => send(syncFrame(sub, update)),
    closeCode: async (timeoutMs = 10_000) => {
      const timeout = new Promise<never>((_r, reject) => {
        const t = setTimeout(() => reject(new Error(`connection to ${room} did not close`)), timeoutMs)
        void closed.then(() => clearTimeout(t))
      })
      return (await Promise.race([closed, timeout])).code
    },
    terminate: () => ws.terminate(),
  }
}

/** Opens a raw connection and waits until it is synced; fails when refused. */
export async function rawSynced(wsUrl: string, room: string, token: string, opts: RawOptions = {}): Promise<RawYjs> {
  const c = rawYjs(wsUrl, room, token, opts)
  const status = await c.opened
  if (status !== 101) throw new Error(`upgrade refused with ${status}`)
  await c.synced()
  return c
}

/** An awareness update for `doc`'s client id carrying `state` (as a stock client would encode it). */
export function ownAwareness(doc: Y.Doc, state: Record<string, unknown>): Uint8Array {
  const a = new awarenessProtocol.Awareness(doc)
  a.setLocalState(state)
  const u = awarenessProtocol.encodeAwarenessUpdate(a, [doc.clientID])
  a.destroy()
  return u
}

// ---- raw engine.io / socket.io -------------------------------------------------------------------

export type RawSocketIo = {
  ws: WebSocket
  /** Text packets received, in order (engine.io pings are answered and not recorded). */
  packets: string[]
  opened: Promise<number>
  closed: Promise<Closed>
  closeInfo(): Closed | null
  send(packet: string | Uint8Array): void
  /** Sends a socket.io CONNECT for the main namespace with this auth object. */
  connect(auth: unknown): void
  /** Sends EVENT `name` with `payload` and ack id `id`; returns the id. */
  emit(name: string, payload: unknown, id: number): number
  /** Waits for a packet matching `pred` and returns it. */
  next(pred: (p: string) => boolean, what: string, timeoutMs?: number): Promise<string>
  /** The ack payload for `id` (the first argument of the acknowledgement). */
  ack(id: number, timeoutMs?: number): Promise<unknown>
  terminate(): void
}

export function rawSocketIo(url: string, headers: Record<string, string> = {}): RawSocketIo {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers })
  const packets: string[] = []
  let closeInfo: Closed | null = null
  const opened = new Promise<number>((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => resolve(101))
    ws.on('error', () => resolve(0))
  })
  const closed = new Promise<Closed>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() }
      resolve(closeInfo)
    })
  })
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const text = isBinary ? `<binary ${data.length}>` : data.toString()
    if (text === '2') {
      if (ws.readyState === ws.OPEN) ws.send('3')
      return
    }
    packets.push(text)
  })
  const send = sender(ws)
  const next = (pred: (p: string) => boolean, what: string, timeoutMs = 10_000) =>
    waitFor(() => packets.find(pred), what, timeoutMs)
  return {
    ws,
    packets,
    opened,
    closed,
    closeInfo: () => closeInfo,
    send,
    connect: (auth) => send(`40${JSON.stringify(auth)}`),
    emit: (name, payload, id) => {
      send(`42${id}${JSON.stringify([name, payload])}`)
      return id
    },
    next,
    ack: async (id, timeoutMs) => {
      const p = await next((x) => x.startsWith(`43${id}[`), `ack ${id}`, timeoutMs)
      return (JSON.parse(p.slice(2 + String(id).length)) as unknown[])[0]
    },
    terminate: () => ws.terminate(),
  }
}
