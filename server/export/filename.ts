// Download names: `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266/5987),
// and names inside the ZIP that are safe on every file system.

/** A name fit for a file: no path separators, reserved or control characters, bounded. */
export function safeFilePart(text: string, max = 40): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    .replace(/[\\/:*?"<>|]+/g, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^\.+/, '')
  const cps = Array.from(cleaned).slice(0, max).join('').trim()
  return cps || 'participant'
}

const encodeRfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`
}
