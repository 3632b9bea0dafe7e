// Builds the client once before the suites when it is missing or older than its sources, so that
// browser tests always run against what the code says, built as `npm start` builds it: in its own
// process with NODE_ENV=production (inside the test runner NODE_ENV is `test`, and React's
// development build would be bundled instead).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

function newest(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

export default function setup(): void {
  const index = path.resolve('dist/client/index.html')
  const sources = Math.max(newest(path.resolve('client')), newest(path.resolve('shared')))
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return
  if (!existsSync(path.resolve('client/index.html'))) return
  // A broken client fails the browser suites (they find no page), not every suite.
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (r.status !== 0) console.error(`client build failed (exit ${r.status ?? r.signal})`)
}
