// Starts one Kasane node from the environment; stops gracefully on SIGTERM/SIGINT (drain, flush).
import { ConfigError, loadConfig } from './config.js'
import { startKasane } from './app.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kasane: invalid configuration: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  const node = await startKasane(config)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    node.log.info('stopping', { signal })
    const force = setTimeout(() => process.exit(1), 15_000)
    force.unref()
    node.close().then(
      () => process.exit(0),
      (err) => {
        node.log.error('stop failed', { error: String(err) })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((err) => {
  process.stderr.write(`kasane: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
