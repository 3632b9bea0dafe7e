// A light Yjs client for the load generator. It speaks the y-websocket wire format with
// y-protocols/sync and lib0 like the stock provider (sync step 1 on open, step 2 in reply, updates
// as they happen, awareness as `{user, cursor}`), or Hocuspocus's framing of the same messages
// (document name first, an auth message before anything else).
//
// Each edit replaces the client's own `people.<pid>.purpose` text with a marker `<index>:<seq>`, so
// the text stays short and every update names its sender and sequence number. Receivers find the
// markers by decoding the update (`Y.decodeUpdate`); in `full` mode they also apply it to their
// document like a real client, in `lite` mode they keep only their own writes (cheaper, for the
// capacity scenario where thousands of clients share two cores with the servers). Lite clients of
// one room may share one document (`shared`), each writing under a client id of its own: only its
// owner writes a participant's entry, so each one's edits are byte for byte what a document of its
// own would send, and 3,000 participants do not hold 3,000 copies of the board.
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as random from 'lib0/random'
import * as syncProtocol from 'y-protocols/sync'
import { PERSON, peopleOf } from '../shared/layout.js'
import { MSG_AUTH, MSG_AWARENESS, MSG_QUERY_AWARENESS, MSG_SYNC } from '../server/sync/wire.js'

export type Framing = 'y-websocket' | 'hocuspocus'
export type Mode = 'full' | 'lite'

export type ClientSpec = {
  /** The whole WebSocket URL (`ws://127.0.0.1:<port>/yjs/<room>?token=…`). */
  url: string
  /** The document name (Hocuspocus names it in every message). */
  docName: string
  framing: Framing
  token?: string
  localAddress?: string
  participantId: string
  name: string
  color: string
}

const HP_SYNC_REPLY = 4
const HP_AUTH_TOKEN = 0
const HP_AUTH_PERMISSION_DENIED = 1

const MARKER = /^(\d+):(\d+)$/

/** `readAt`: when the receiving process read the message; `handledAt`: when this receiver had handled it (applied it, in `full` mode). */
export type MarkerSink = (receiver: BenchClient, sender: number, seq: number, readAt: number, handledAt: number) => void

// Messages are stamped as they are read and handled together once every socket readable now has
// been read: all receivers of a room live in this one process, and a receiver's read time must not
// include the other receivers' work before it (its handled time does).
let inbox: { client: BenchClient; data: Buffer; readAt: number }[] = []
function receive(client: BenchClient, data: Buffer): void {
  if (inbox.length === 0) setImmediate(handleInbox)
  inbox.push({ client, data, readAt: performance.now() })
}
function handleInbox(): void {
  const batch = inbox
  inbox = []
  for (const m of batch) m.client.onMessage(m.data, m.readAt)
}

export class BenchClient {
  readonly doc: Y.Doc
  /** The Yjs client id this client writes under and announces in awareness. */
  readonly clientId: number
  ws: WebSocket | null = null
  synced = false
  closed = false
  closeCode = 0
  awarenessIn = 0
  private awarenessClock = 0
  private syncWaiters: (() => void)[] = []
  /** What every awareness message of this client starts with (built once: thousands are sent a second). */
  private readonly awarenessPrefix: Uint8Array
  private readonly userJson: string
  private text: Y.Text | null = null

  constructor(
    readonly spec: ClientSpec,
    readonly index: number,
    readonly mode: Mode,
    private sink: MarkerSink | null,
    private shared: Y.Doc | null = null,
  ) {
    this.doc = shared ?? new Y.Doc()
    this.clientId = shared ? random.uint32() : this.doc.clientID // random.uint32(): how Yjs picks one
    this.awarenessPrefix = encoding.toUint8Array(this.header(MSG_AWARENESS))
    this.userJson = JSON.stringify({ participantId: spec.participantId, name: spec.name, color: spec.color })
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) this.send(this.syncMessage(syncProtocol.messageYjsUpdate, update))
    })
  }

  /** Opens the connection and resolves when the first sync step 2 has been applied. */
  connect(timeoutMs = 15_000): Promise<number> {
    const started = performance.now()
    return new Promise<number>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`client ${this.index}: not synced within ${timeoutMs} ms (close ${this.closeCode})`)), timeoutMs)
      const ws = new WebSocket(this.spec.url, { perMessageDeflate: false, localAddress: this.spec.localAddress })
      this.ws = ws
      ws.binaryType = 'nodebuffer'
      ws.on('open', () => {
        if (this.spec.framing === 'hocuspocus') {
          const e = this.header(MSG_AUTH)
          encoding.writeVarUint(e, HP_AUTH_TOKEN)
          encoding.writeVarString(e, this.spec.token ?? '')
          ws.send(encoding.toUint8Array(e))
        }
        const e = this.header(MSG_SYNC)
        syncProtocol.writeSyncStep1(e, this.doc)
        ws.send(encoding.toUint8Array(e))
        this.sendAwareness(null)
      })
      ws.on('message', (data: Buffer) => receive(this, data))
      ws.on('unexpected-response', (_req, res) => {
        clearTimeout(timer)
        fail(new Error(`client ${this.index}: upgrade refused with HTTP ${res.statusCode}`))
        ws.terminate()
      })
      ws.on('error', (err) => {
        clearTimeout(timer)
        fail(err)
      })
      ws.on('close', (code) => {
        this.closed = true
        this.closeCode = code
        clearTimeout(timer)
        fail(new Error(`client ${this.index}: closed with ${code} before sync`))
      })
      this.syncWaiters.push(() => {
        clearTimeout(timer)
        ok(performance.now() - started)
      })
    })
  }

  /** Resolves after a sync step 1 → step 2 round trip: everything sent before is processed. */
  roundTrip(timeoutMs = 15_000): Promise<void> {
    return new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`client ${this.index}: no round trip within ${timeoutMs} ms`)), timeoutMs)
      this.syncWaiters.push(() => {
        clearTimeout(timer)
        ok()
      })
      const e = this.header(MSG_SYNC)
      syncProtocol.writeSyncStep1(e, this.doc)
      this.send(encoding.toUint8Array(e))
    })
  }

  /** This client's own text (`people.<pid>.purpose`), once the board is synced. */
  ownText(): Y.Text | null {
    if (this.text) return this.text
    const person = peopleOf(this.doc).get(this.spec.participantId)
    const t = person instanceof Y.Map ? person.get(PERSON.purpose) : undefined
    this.text = t instanceof Y.Text ? t : null
    return this.text
  }

  /** One edit: the own text becomes `marker`, sent as one update. */
  edit(marker: string): void {
    const text = this.ownText()
    if (!text) throw new Error(`client ${this.index}: no own text to edit`)
    this.change(() => {
      if (text.length > 0) text.delete(0, text.length)
      text.insert(0, marker)
    })
  }

  /** Any change made by this client, sent as one update. */
  change(f: (doc: Y.Doc) => void): void {
    this.doc.clientID = this.clientId
    this.doc.transact(() => f(this.doc), this)
  }

  sendAwareness(cursor: { x: number; y: number } | null): void {
    this.send(cursorMessage(this.awarenessPrefix, this.userJson, this.clientId, ++this.awarenessClock, cursor))
  }

  close(): void {
    this.closed = true
    this.ws?.removeAllListeners('close')
    this.ws?.on('error', () => {})
    this.ws?.close()
    if (!this.shared) this.doc.destroy()
  }

  private header(type: number): encoding.Encoder {
    const e = encoding.createEncoder()
    if (this.spec.framing === 'hocuspocus') encoding.writeVarString(e, this.spec.docName)
    encoding.writeVarUint(e, type)
    return e
  }

  private syncMessage(sub: number, payload: Uint8Array): Uint8Array {
    const e = this.header(MSG_SYNC)
    encoding.writeVarUint(e, sub)
    encoding.writeVarUint8Array(e, payload)
    return encoding.toUint8Array(e)
  }

  private send(message: Uint8Array): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(message)
  }

  onMessage(data: Buffer, readAt: number): void {
    const d = decoding.createDecoder(data)
    if (this.spec.framing === 'hocuspocus') decoding.readVarString(d)
    const type = decoding.readVarUint(d)
    if (type === MSG_AWARENESS) {
      this.awarenessIn++
      return
    }
    if (type === MSG_SYNC || type === HP_SYNC_REPLY) {
      const sub = decoding.readVarUint(d)
      if (sub === syncProtocol.messageYjsSyncStep1) {
        const sv = decoding.readVarUint8Array(d)
        this.send(this.syncMessage(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(this.doc, sv)))
        return
      }
      const update = decoding.readVarUint8Array(d)
      if (sub === syncProtocol.messageYjsSyncStep2) {
        Y.applyUpdate(this.doc, update, 'remote')
        this.synced = true
        const waiters = this.syncWaiters
        this.syncWaiters = []
        for (const w of waiters) w()
        return
      }
      if (sub === syncProtocol.messageYjsUpdate) {
        const markers = this.sink ? findMarkers(update) : []
        if (this.mode === 'full') Y.applyUpdate(this.doc, update, 'remote')
        const handledAt = performance.now()
        for (const [sender, seq] of markers) this.sink!(this, sender, seq, readAt, handledAt)
      }
      return
    }
    if (type === MSG_QUERY_AWARENESS) return
    if (type === MSG_AUTH && this.spec.framing === 'hocuspocus') {
      if (decoding.readVarUint(d) === HP_AUTH_PERMISSION_DENIED) this.ws?.close(4403)
    }
    // Anything else (Hocuspocus's sync status acks, for instance) needs no answer.
  }
}

/** The `[sender, seq]` markers an update writes. */
function findMarkers(update: Uint8Array): [number, number][] {
  const found: [number, number][] = []
  for (const s of Y.decodeUpdate(update).structs) {
    if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentString)) continue
    const m = MARKER.exec(s.content.str)
    if (m) found.push([Number(m[1]), Number(m[2])])
  }
  return found
}

const varUintLength = (n: number): number => (n < 0x80 ? 1 : 1 + varUintLength(Math.floor(n / 0x80)))

function putVarUint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 0x80)
  }
  out[at++] = n
  return at
}

/**
 * An awareness message with one state, `{user, cursor}`, as y-protocols and lib0 write it: `prefix`
 * (the framing and message type), then the update's length, the count (1), the client id, its
 * clock and the state's JSON. Written into one buffer of the right size, with the JSON spelled
 * out: the capacity scenario sends 15,000 of these a second on the two cores it shares with the
 * server.
 */
export function cursorMessage(prefix: Uint8Array, userJson: string, clientId: number, clock: number, cursor: { x: number; y: number } | null): Buffer {
  const json = cursor ? `{"user":${userJson},"cursor":{"x":${cursor.x},"y":${cursor.y}}}` : `{"user":${userJson}}`
  const jsonBytes = Buffer.byteLength(json)
  const update = 1 + varUintLength(clientId) + varUintLength(clock) + varUintLength(jsonBytes) + jsonBytes
  const out = Buffer.allocUnsafe(prefix.length + varUintLength(update) + update)
  out.set(prefix, 0)
  let at = putVarUint(out, prefix.length, update)
  at = putVarUint(out, at, 1)
  at = putVarUint(out, at, clientId)
  at = putVarUint(out, at, clock)
  at = putVarUint(out, at, jsonBytes)
  out.write(json, at, 'utf8')
  return out
}
