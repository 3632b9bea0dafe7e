// Tokens: 128+ random bits, base64url; only their SHA-256 is stored. Comparisons go through the
// hash, so timing says nothing about a stored token.
import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const newToken = () => randomBytes(24).toString('base64url')
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** The bearer token of an HTTP request, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization
  if (!h) return null
  const m = /^Bearer\s+([A-Za-z0-9_-]{16,128})\s*$/.exec(h)
  return m ? m[1]! : null
}
