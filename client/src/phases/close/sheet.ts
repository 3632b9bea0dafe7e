// Fetching one's personal sheet as a PDF and handing it to the browser as a file download.
import type { Locale } from '../../../../shared/protocol'

export class SheetError extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(code)
  }
}

export function sheetUrl(code: string, participantId: string, lang: Locale): string {
  return `/api/workshops/${encodeURIComponent(code)}/participants/${encodeURIComponent(participantId)}/sheet.pdf?lang=${lang}`
}

/** Downloads the sheet; `onProgress` gets a fraction 0..1, or null while the size is unknown. */
export async function fetchSheet(url: string, token: string, onProgress: (f: number | null) => void, signal?: AbortSignal): Promise<Blob> {
  let res: Response
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal })
  } catch (e) {
    if (signal?.aborted) throw e
    throw new SheetError(0, 'NETWORK')
  }
  if (!res.ok) {
    let code = 'INTERNAL'
    try {
      const body = (await res.json()) as { error?: { code?: string } }
      code = body.error?.code ?? code
    } catch {
      // not JSON: the status says enough
    }
    throw new SheetError(res.status, code)
  }
  const total = Number(res.headers.get('content-length')) || 0
  if (!res.body) return res.blob()
  const reader = res.body.getReader()
  const parts: Uint8Array[] = []
  let received = 0
  onProgress(total ? 0 : null)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    received += value.length
    onProgress(total ? Math.min(1, received / total) : null)
  }
  return new Blob(parts as BlobPart[], { type: 'application/pdf' })
}

export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}
