// Security headers, a strict Content-Security-Policy for pages, and the Origin rule of SPEC §1
// shared by the WebSocket and socket.io handshakes.
import type { IncomingMessage } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import type { Config } from '../config.js'

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "media-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
  next()
}

/**
 * A browser handshake is accepted when its Origin is listed in ALLOWED_ORIGINS, or, by default,
 * matches the request's own host or PUBLIC_URL. No Origin (a non-browser client): the token decides.
 */
export function originAllowed(config: Config, req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  if (config.allowedOrigins) return config.allowedOrigins.includes('*') || config.allowedOrigins.includes(origin)
  if (config.publicUrl && origin === new URL(config.publicUrl).origin) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}
