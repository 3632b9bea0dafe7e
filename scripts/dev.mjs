// `npm run dev`: the Kasane server on port 3001, restarted on change by `tsx watch`, and vite's dev
// server (which proxies /api, /healthz, /socket.io and /yjs to it; see vite.config.ts) with hot
// reload. Stopping this script stops both.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

const children = []
function run(name, cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  child.on('exit', (code, signal) => {
    if (stopping) return
    console.error(`[dev] ${name} stopped (${signal ?? code}); stopping the rest`)
    stop(code ?? 1)
  })
  children.push(child)
  return child
}

let stopping = false
function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  setTimeout(() => process.exit(code), 300).unref()
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

run('server', bin('tsx'), ['watch', '--clear-screen=false', 'server/index.ts'], {
  PORT: process.env.KASANE_DEV_API_PORT ?? '3001',
  HOST: '127.0.0.1',
  DATA_DIR: process.env.DATA_DIR ?? './data',
  // The browser talks to vite's origin; the proxy forwards it, so allow that origin on handshakes.
  ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? `http://localhost:${process.env.PORT ?? '5173'},http://127.0.0.1:${process.env.PORT ?? '5173'}`,
})
run('vite', bin('vite'), ['--port', process.env.PORT ?? '5173', '--strictPort'], {})
