// The HTTP API of SPEC §3 as typed calls. Failures become ApiError with the server's code, or
// NETWORK when the server could not be reached at all.
import type {
  CreateWorkshopRequest,
  CreateWorkshopResponse,
  ErrorCode,
  JoinResponse,
  MeResponse,
  WorkshopInfo,
} from '../../../shared/protocol'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
  ) {
    super(message)
  }
}

type Options = { method?: string; body?: unknown; token?: string; headers?: Record<string, string> }

async function request(path: string, opts: Options = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`
  let res: Response
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    })
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'network error')
  }
  if (!res.ok) {
    let code: ErrorCode = 'INTERNAL'
    let message = res.statusText
    try {
      const body = (await res.json()) as { error?: { code?: ErrorCode; message?: string } }
      if (body.error?.code) code = body.error.code
      if (body.error?.message) message = body.error.message
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(res.status, code, message)
  }
  return res
}

async function json<T>(path: string, opts?: Options): Promise<T> {
  const res = await request(path, opts)
  return (await res.json()) as T
}

const enc = encodeURIComponent

export const getWorkshop = (code: string) => json<WorkshopInfo>(`/api/workshops/${enc(code)}`)

export const createWorkshop = (body: CreateWorkshopRequest, createKey?: string) =>
  json<CreateWorkshopResponse>('/api/workshops', { method: 'POST', body, headers: createKey ? { 'X-Create-Key': createKey } : {} })

export const joinWorkshop = (code: string, name: string) =>
  json<JoinResponse>(`/api/workshops/${enc(code)}/participants`, { method: 'POST', body: { name } })

export const getMe = (token: string) => json<MeResponse>('/api/me', { token })

/** Downloads a file with the token in a header, reporting progress as a fraction (or null when unknown). */
export async function download(path: string, token: string, onProgress: (fraction: number | null) => void): Promise<Blob> {
  const res = await request(path, { token })
  const total = Number(res.headers.get('Content-Length')) || 0
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream'
  if (!res.body) return res.blob()
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.byteLength
    onProgress(total ? Math.min(1, received / total) : null)
  }
  return new Blob(chunks as BlobPart[], { type })
}
