// One Yjs document kept in sync with the server (SPEC §5), with Kasane's handling of every close
// code: the stock provider would stop at 44xx or resend a refused state forever.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { CLOSE, YJS_PATH } from '../../../shared/protocol'
import type { ConnStatus } from '../phases/types'
import { ApiError, getMe } from './api'

/** Final: the connection will not come back. Notices: it came back with a fresh document. */
export type RoomEnd = 'removed' | 'gone'
export type RoomNotice = 'forbidden' | 'too-large' | 'malformed'

export type RoomSnapshot = {
  doc: Y.Doc
  provider: WebsocketProvider
  status: ConnStatus
  synced: boolean
  ended: RoomEnd | null
  notice: { kind: RoomNotice; at: number } | null
}

const CHECK_AFTER_FAILURES = 3

export function wsOrigin(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}`
}

export class YRoom {
  private snapshot: RoomSnapshot
  private listeners = new Set<() => void>()
  private failures = 0
  private destroyed = false
  private checking = false

  constructor(
    private readonly room: string,
    private readonly token: string,
    private readonly opts: { origin?: string; WebSocketPolyfill?: typeof WebSocket } = {},
  ) {
    const doc = new Y.Doc()
    this.snapshot = { doc, provider: this.connect(doc), status: 'connecting', synced: false, ended: null, notice: null }
  }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  getSnapshot = () => this.snapshot

  destroy(): void {
    this.destroyed = true
    this.snapshot.provider.destroy()
    this.snapshot.doc.destroy()
    this.listeners.clear()
  }

  private update(patch: Partial<RoomSnapshot>): void {
    if (this.destroyed) return
    this.snapshot = { ...this.snapshot, ...patch }
    for (const fn of this.listeners) fn()
  }

  private connect(doc: Y.Doc): WebsocketProvider {
    const provider = new WebsocketProvider(`${this.opts.origin ?? wsOrigin()}${YJS_PATH}`, this.room, doc, {
      params: { token: this.token },
      disableBc: true,
      ...(this.opts.WebSocketPolyfill ? { WebSocketPolyfill: this.opts.WebSocketPolyfill } : {}),
      maxBackoffTime: 5000,
      // 4409 is transient; every other 44xx is handled in `closed` below.
      shouldReconnect: (event) => event.code === CLOSE.MISSING_DEPS || event.code < 4400 || event.code >= 4500,
    })
    provider.on('status', ({ status }) => {
      // Events during construction come before the snapshot names this provider.
      if (!this.snapshot || provider !== this.snapshot.provider) return
      this.update({ status: status === 'connected' ? 'online' : status === 'connecting' ? 'connecting' : 'offline' })
    })
    provider.on('sync', (synced) => {
      if (!this.snapshot || provider !== this.snapshot.provider) return
      if (synced) this.failures = 0
      this.update({ synced })
    })
    provider.on('connection-close', (event) => {
      if (!this.snapshot || provider !== this.snapshot.provider || event === null) return
      this.failures++
      if (this.failures % CHECK_AFTER_FAILURES === 0) void this.checkIdentity()
    })
    provider.on('closed', ({ code }) => {
      if (!this.snapshot || provider !== this.snapshot.provider) return
      this.onFinalClose(code)
    })
    return provider
  }

  private onFinalClose(code: number): void {
    if (code === CLOSE.REVOKED) return this.end('removed')
    if (code === CLOSE.DELETED) return this.end('gone')
    const notice: RoomNotice = code === CLOSE.FORBIDDEN ? 'forbidden' : code === CLOSE.TOO_LARGE ? 'too-large' : 'malformed'
    this.fresh(notice)
  }

  /** Our document diverged from the server's for good: start over from the server's state. */
  private fresh(notice: RoomNotice): void {
    const old = this.snapshot
    old.provider.destroy()
    old.doc.destroy()
    const doc = new Y.Doc()
    this.snapshot = { ...old, doc, provider: old.provider, synced: false, status: 'connecting' }
    const provider = this.connect(doc)
    this.update({ doc, provider, notice: { kind: notice, at: Date.now() } })
  }

  private end(reason: RoomEnd): void {
    this.snapshot.provider.disconnect()
    this.update({ ended: reason, status: 'offline', synced: false })
  }

  /** Connections keep failing: ask the server whether we were removed or the workshop is gone. */
  private async checkIdentity(): Promise<void> {
    if (this.checking) return
    this.checking = true
    try {
      await getMe(this.token)
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.end('removed')
      else if (e instanceof ApiError && (e.status === 404 || e.status === 410)) this.end('gone')
    } finally {
      this.checking = false
    }
  }
}
