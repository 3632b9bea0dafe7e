// A stock y-websocket client, as any integrator would use it (no BroadcastChannel shortcut).
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { waitFor } from './server.js'

export type Client = {
  doc: Y.Doc
  provider: WebsocketProvider
  closes: number[]
  synced(): Promise<void>
  destroy(): void
}

export function connectDoc(wsUrl: string, room: string, token: string, opts: { doc?: Y.Doc; connect?: boolean } = {}): Client {
  const doc = opts.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, room, doc, {
    params: { token },
    disableBc: true,
    connect: opts.connect ?? true,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  })
  const closes: number[] = []
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closes.push(event.code)
  })
  return {
    doc,
    provider,
    closes,
    synced: () => waitFor(() => provider.synced, `sync of ${room}`).then(() => {}),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** The HTTP status of a WebSocket upgrade that was refused, or 101 when accepted. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => {
      resolve(101)
      ws.close()
    })
    ws.on('error', (err) => reject(err))
  })
}
