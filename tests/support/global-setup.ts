// Builds the client once before the suites when it is missing or older than its sources, so that
// browser tests always run against what the code says.
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'

function newest(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

export default async function setup(): Promise<void> {
  const index = path.resolve('dist/client/index.html')
  const sources = Math.max(newest(path.resolve('client')), newest(path.resolve('shared')))
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return
  if (!existsSync(path.resolve('client/index.html'))) return
  // A broken client fails the browser suites (they find no page), not every suite.
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' }).catch((err: unknown) => {
    console.error(`client build failed: ${err instanceof Error ? err.message : String(err)}`)
  })
}
