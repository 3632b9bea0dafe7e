// Errors in the shape of SPEC §3: {"error":{"code","message"}} with the matching status.
import type { Response } from 'express'
import { ERROR_STATUS, type ErrorCode } from '../../shared/protocol.js'

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message)
  }
}

export function sendError(res: Response, code: ErrorCode, message: string, retryAfterSec?: number): void {
  if (retryAfterSec !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterSec))))
  res.status(ERROR_STATUS[code]).json({ error: { code, message } })
}
