// Scenario 6: the production JavaScript and CSS a participant's browser downloads for the first
// page, gzipped (zlib's default level, as a server compressing on the fly sends it). "First page"
// is what dist/client/index.html loads (scripts, stylesheets, module preloads) and what those
// scripts import statically; chunks loaded later through dynamic import() are counted apart.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const ROOT = resolve(import.meta.dirname, '..')
const DIST = join(ROOT, 'dist', 'client')

export type AssetSize = { file: string; bytes: number; gzipBytes: number }
export type ClientSizeResult = {
  built: boolean
  firstPage: { files: AssetSize[]; bytes: number; gzipBytes: number }
  lazy: { files: number; bytes: number; gzipBytes: number }
  allJsCss: { files: number; gzipBytes: number }
  error?: string
}

const STATIC_IMPORT = /(?:import|export)\s*(?:[\w*{}\s,$]*?from\s*)?["'`]([^"'`]+\.(?:js|css))["'`]/g
// The minifier writes dynamic imports with backticks.
const DYNAMIC_IMPORT = /import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g

function sizeOf(file: string): AssetSize {
  const data = readFileSync(file)
  return { file: relative(DIST, file), bytes: data.length, gzipBytes: gzipSync(data).length }
}

function resolveAsset(from: string, ref: string): string | null {
  if (/^(https?:)?\/\//.test(ref) || ref.startsWith('data:')) return null
  const p = ref.startsWith('/') ? join(DIST, ref) : resolve(dirname(from), ref)
  return existsSync(p) ? p : null
}

function listJsCss(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...listJsCss(p))
    else if (/\.(js|css)$/.test(e.name)) out.push(p)
  }
  return out
}

/**
 * Builds the client as `npm start` does (for production) and measures it: whatever dist/client held
 * before may be a build made inside the test runner, where NODE_ENV=test gives React's development build.
 */
export function clientSize(log: (s: string) => void): ClientSizeResult {
  const index = join(DIST, 'index.html')
  log('scenario 6: building the client for production (`vite build`)')
  const r = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 5 * 60_000, env: { ...process.env, NODE_ENV: 'production' } })
  const built = r.status === 0 && existsSync(index)
  if (!built) {
    const empty = { files: [], bytes: 0, gzipBytes: 0 }
    return { built, firstPage: empty, lazy: { files: 0, bytes: 0, gzipBytes: 0 }, allJsCss: { files: 0, gzipBytes: 0 }, error: 'vite build failed' }
  }
  const html = readFileSync(index, 'utf8')
  const refs: string[] = []
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.push(m[1]!)
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0]
    if (!/rel="(stylesheet|modulepreload)"/.test(tag)) continue
    const href = /href="([^"]+)"/.exec(tag)?.[1]
    if (href) refs.push(href)
  }
  const first = new Set<string>()
  const lazy = new Set<string>()
  const queue = refs.map((r) => resolveAsset(index, r)).filter((p): p is string => !!p)
  while (queue.length) {
    const f = queue.shift()!
    if (first.has(f)) continue
    first.add(f)
    if (!f.endsWith('.js')) continue
    const src = readFileSync(f, 'utf8')
    for (const m of src.matchAll(STATIC_IMPORT)) {
      const p = resolveAsset(f, m[1]!)
      if (p && !first.has(p)) queue.push(p)
    }
  }
  const lazyQueue: string[] = []
  for (const f of first) if (f.endsWith('.js')) lazyQueue.push(f)
  while (lazyQueue.length) {
    const f = lazyQueue.shift()!
    const src = readFileSync(f, 'utf8')
    for (const m of [...src.matchAll(DYNAMIC_IMPORT), ...src.matchAll(STATIC_IMPORT)]) {
      const p = resolveAsset(f, m[1]!)
      if (p && !first.has(p) && !lazy.has(p)) {
        lazy.add(p)
        lazyQueue.push(p)
      }
    }
  }
  const firstSizes = [...first].map(sizeOf)
  const lazySizes = [...lazy].map(sizeOf)
  const all = listJsCss(DIST).map(sizeOf)
  const total = (l: AssetSize[], k: 'bytes' | 'gzipBytes') => l.reduce((n, a) => n + a[k], 0)
  return {
    built,
    firstPage: { files: firstSizes, bytes: total(firstSizes, 'bytes'), gzipBytes: total(firstSizes, 'gzipBytes') },
    lazy: { files: lazySizes.length, bytes: total(lazySizes, 'bytes'), gzipBytes: total(lazySizes, 'gzipBytes') },
    allJsCss: { files: all.length, gzipBytes: total(all, 'gzipBytes') },
  }
}
