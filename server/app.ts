// Wires one Kasane node: storage, bus, HTTP API, control plane and Yjs endpoint on one port.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express from 'express'
import proxyaddr from 'proxy-addr'
import { peopleOf } from '../shared/layout.js'
import { LIMITS } from '../shared/limits.js'
import { CLOSE } from '../shared/protocol.js'
import { createBus } from './bus/index.js'
import type { Config } from './config.js'
import { ControlPlane } from './control/io.js'
import { TimerDriver } from './control/timers.js'
import { exportRoutes } from './export/routes.js'
import { apiRoutes } from './http/api.js'
import { CodeGuard } from './http/code-guard.js'
import { sendError } from './http/errors.js'
import { originAllowed, securityHeaders } from './http/security.js'
import { clientRoutes } from './http/static.js'
import { createLogger, type Logger } from './log.js'
import { Metrics } from './metrics.js'
import { createStore } from './store/index.js'
import { SyncServer } from './sync/server.js'
import { Workshops } from './workshops.js'

export type Kasane = {
  url: string
  port: number
  log: Logger
  close(): Promise<void>
}

const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/client')
const RETENTION_SWEEP_MS = 60 * 60 * 1000
/** How long closing waits for clients to answer their close frames before it drops them. */
const CLOSE_GRACE_MS = 2_000

export async function startKasane(config: Config, opts: { clientDir?: string } = {}): Promise<Kasane> {
  const boot = createLogger(config.logLevel, 'boot')
  const store = await createStore(config, boot)
  const fabric = await createBus(config, boot)
  const { bus } = fabric
  const log = createLogger(config.logLevel, bus.nodeId)
  const metrics = new Metrics()
  const workshops = new Workshops(store, bus, log, config.maxParticipants)

  const app = express()
  app.disable('x-powered-by')
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy)
  const trust = app.get('trust proxy fn') as (addr: string, i: number) => boolean
  const clientAddress = (req: IncomingMessage) => proxyaddr(req, trust)
  const allowOrigin = (req: IncomingMessage) => originAllowed(config, req)

  const http = createServer(app)
  // Every connection, upgraded ones included, so that closing need not wait for peers that no
  // longer answer (a phone gone out of range never completes a WebSocket closing handshake).
  const connections = new Set<Socket>()
  http.on('connection', (socket) => {
    connections.add(socket)
    socket.once('close', () => connections.delete(socket))
  })
  const sync = new SyncServer({ store, bus, log, metrics, workshops, originAllowed: allowOrigin, clientAddress })
  const control = new ControlPlane(http, {
    workshops,
    bus,
    log,
    metrics,
    originAllowed: allowOrigin,
    clientAddress,
    adapter: fabric.socketIoAdapter,
    onRemove: async (code, pid) => {
      await workshops.removeParticipant(code, pid)
      await sync.editBoard(code, (doc) => peopleOf(doc).delete(pid))
    },
  })
  const timers = new TimerDriver(workshops, bus, log, (code) => control.broadcast(code))
  workshops.on('deleted', (code) => control.disconnect(code))

  app.use(securityHeaders)
  app.use((req, _res, next) => {
    const started = performance.now()
    _res.on('finish', () => metrics.observe('kasane_http_ms', 'HTTP request latency', performance.now() - started, { status: String(_res.statusCode) }))
    next()
  })
  app.get('/metrics', (_req, res) => void res.type('text/plain; version=0.0.4').send(metrics.render()))
  app.use(express.json({ limit: LIMITS.httpBodyBytes }))
  const guard = new CodeGuard(bus)
  app.use(
    apiRoutes({
      config,
      store,
      workshops,
      guard,
      editBoard: (code, edit) => sync.editBoard(code, edit),
      onJoined: (code) => control.broadcast(code),
    }),
  )
  app.use(
    exportRoutes({
      store,
      readDoc: (name) => sync.readDoc(name),
      identify: (token) => workshops.identify(token),
      guard,
      log,
      observe: (kind, ms) => metrics.observe('kasane_export_ms', 'Export duration', ms, { kind }),
    }),
  )
  app.use('/api', (_req, res) => sendError(res, 'NOT_FOUND', 'no such endpoint'))
  app.use(clientRoutes(opts.clientDir ?? CLIENT_DIR))
  app.use((err: Error & { type?: string; status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (err.type === 'entity.too.large') return sendError(res, 'TOO_LARGE', `request bodies are at most ${LIMITS.httpBodyBytes} bytes`)
    if (err.type === 'entity.parse.failed' || err.type === 'encoding.unsupported' || err.status === 400) return sendError(res, 'INVALID', 'the body is not valid JSON')
    log.error('request failed', { error: String(err) })
    if (!res.headersSent) sendError(res, 'INTERNAL', 'something went wrong on our side')
  })

  http.on('upgrade', (req, socket, head) => {
    if (sync.handles(req.url)) {
      sync.handleUpgrade(req, socket, head).catch((err) => {
        log.error('upgrade failed', { error: String(err) })
        socket.destroy()
      })
    } else if (!req.url?.startsWith('/socket.io')) {
      socket.destroy()
    }
  })

  const sweep = () =>
    workshops.deleteStale(Date.now(), config.retentionDays).catch((err) => log.error('retention sweep failed', { error: String(err) }))
  void sweep()
  const sweeper = setInterval(sweep, RETENTION_SWEEP_MS)
  sweeper.unref()

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(config.port, config.host, () => resolve())
  })
  const port = (http.address() as AddressInfo).port
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const url = `http://${shownHost}:${port}`
  log.info('listening', { port, host: config.host, store: store.kind, multiNode: !!config.redisUrl })

  let closing: Promise<void> | null = null
  return {
    url,
    port,
    log,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper)
        timers.close()
        const cutOff = setTimeout(() => {
          for (const socket of connections) socket.destroy()
        }, CLOSE_GRACE_MS)
        await sync.close()
        await control.close()
        clearTimeout(cutOff)
        workshops.close()
        await fabric.close()
        await store.close()
      })()),
  }
}

