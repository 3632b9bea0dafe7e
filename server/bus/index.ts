// Picks the fan-out for this deployment: in-process for one node, Redis (with socket.io's Redis
// Streams adapter on its own connection) when REDIS_URL is set (SPEC §8).
import { createAdapter } from '@socket.io/redis-streams-adapter'
import { Redis } from 'ioredis'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Bus } from './bus.js'
import { LocalBus } from './local.js'
import { RedisBus } from './redis.js'

export type BusSetup = {
  bus: Bus
  /** Pass to `io.adapter()` before clients connect; absent for one node. */
  socketIoAdapter?: unknown
  /** Call after `io.close()` (which stops the adapter's own readers). */
  close(): Promise<void>
}

const STARTUP_TIMEOUT_MS = 30_000

/**
 * The namespace of every Redis key and channel. Deployments sharing one Redis are kept apart by
 * database number (`redis://host:6379/3`): keys live in that database anyway, and PUB/SUB
 * channels, which Redis shares across databases, carry the number.
 */
export function redisNamespace(redisUrl: string): string {
  const db = Number(new URL(redisUrl).pathname.replace(/^\//, '') || '0')
  return Number.isInteger(db) && db > 0 ? `kasane:${db}:` : 'kasane:'
}

export async function createBus(config: Pick<Config, 'redisUrl'>, log: Logger, opts: { nodeId?: string } = {}): Promise<BusSetup> {
  if (!config.redisUrl) {
    const bus = new LocalBus()
    return { bus, close: () => bus.close() }
  }
  const prefix = redisNamespace(config.redisUrl)
  const bus = new RedisBus({ url: config.redisUrl, log, prefix, nodeId: opts.nodeId })

  // The adapter reads a Redis stream from where it left off, so broadcasts made while a node's
  // connection was down are delivered once it is back; ioredis reconnects by itself. Its commands
  // keep ioredis's offline queue (no command timeout): a blocking XREAD must be allowed to block.
  const adapterClient = new Redis(config.redisUrl, { connectionName: 'kasane-sio' })
  let quiet = false
  adapterClient.on('error', (err: Error) => {
    if (quiet) return
    quiet = true
    log.warn('redis connection error', { role: 'socket.io', error: err.message })
  })
  adapterClient.on('ready', () => {
    quiet = false
  })

  const close = async () => {
    await bus.close()
    if (adapterClient.status === 'ready') await adapterClient.quit().catch(() => adapterClient.disconnect())
    else adapterClient.disconnect()
  }
  try {
    await bus.whenReady(STARTUP_TIMEOUT_MS)
  } catch (err) {
    await close()
    throw new Error(`REDIS_URL: ${(err as Error).message}`)
  }
  const socketIoAdapter = createAdapter(adapterClient, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
  })
  log.info('multi-node bus ready', { node: bus.nodeId })
  return { bus, socketIoAdapter, close }
}
