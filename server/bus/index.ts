// Chooses the bus for this deployment (replaced by the multi-node implementation).
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Bus } from './bus.js'
import { LocalBus } from './local.js'

export async function createBus(_config: Config, _log: Logger): Promise<{ bus: Bus; socketIoAdapter?: unknown; close(): Promise<void> }> {
  const bus = new LocalBus()
  return { bus, close: () => bus.close() }
}
