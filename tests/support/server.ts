// A real Kasane node on port 0 with its own data directory, and the HTTP calls every suite needs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../server/config.js'
import { startKasane, type Kasane } from '../../server/app.js'
import type { CreateWorkshopRequest, CreateWorkshopResponse, JoinResponse } from '../../shared/protocol.js'

export type TestServer = {
  url: string
  wsUrl: string
  port: number
  dataDir: string
  node: Kasane
  /** Stops the node; the data directory stays, so a new node can start on it. */
  stop(): Promise<void>
  /** Stops and removes the data directory. */
  destroy(): Promise<void>
}

export async function startServer(opts: { env?: Record<string, string>; dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'kasane-test-'))
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...opts.env })
  const node = await startKasane(config)
  const url = `http://127.0.0.1:${node.port}`
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await node.close()
  }
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    port: node.port,
    dataDir,
    node,
    stop,
    destroy: async () => {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function api<T = unknown>(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {}
  return { status: res.status, body: parsed as T, headers: res.headers }
}

export async function createWorkshop(url: string, body: Partial<CreateWorkshopRequest> = {}): Promise<CreateWorkshopResponse> {
  const res = await api<CreateWorkshopResponse>(`${url}/api/workshops`, 'POST', {
    title: 'Purpose workshop',
    locale: 'en',
    vision: [{ title: 'Make work joyful', body: 'For everyone we serve' }, { title: 'Grow together' }],
    ...body,
  })
  if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

export async function joinWorkshop(url: string, code: string, name: string): Promise<JoinResponse> {
  const res = await api<JoinResponse>(`${url}/api/workshops/${code}/participants`, 'POST', { name })
  if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v) return v as NonNullable<T>
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
