// Configuration of SPEC §1, validated at start: a bad value stops the process with one line
// naming the variable.
import { z } from 'zod'

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const url = (protocols: string[]) =>
  z.string().refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol)
    } catch {
      return false
    }
  }, `must be a ${protocols.join(' or ')} URL`)

const schema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: url(['http:', 'https:']).transform((s) => s.replace(/\/+$/, '')).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  CREATE_KEY: z.string().min(1).optional(),
  ALLOWED_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/]+$/.test(o)), 'must be comma-separated origins like https://example.com')
    .optional(),
  TRUST_PROXY: z
    .string()
    .transform((s, ctx): boolean | number | string => {
      const v = s.trim()
      if (v === 'true') return true
      if (v === 'false') return false
      if (/^\d+$/.test(v)) return Number(v)
      if (/^[0-9a-fA-F:.,/ a-z]+$/.test(v)) return v
      ctx.addIssue({ code: 'custom', message: 'must be true, a hop count or a list of subnets' })
      return z.NEVER
    })
    .optional(),
  MAX_PARTICIPANTS: int(1, 10000).default(100),
  RETENTION_DAYS: int(1, 3650).default(90),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
})

export type Config = {
  port: number
  host: string
  publicUrl?: string
  dataDir: string
  databaseUrl?: string
  redisUrl?: string
  createKey?: string
  allowedOrigins?: string[]
  trustProxy?: boolean | number | string
  maxParticipants: number
  retentionDays: number
  logLevel: LogLevel
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''))
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`)
  }
  const c = parsed.data
  return {
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL,
    dataDir: c.DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    createKey: c.CREATE_KEY,
    allowedOrigins: c.ALLOWED_ORIGINS,
    trustProxy: c.TRUST_PROXY,
    maxParticipants: c.MAX_PARTICIPANTS,
    retentionDays: c.RETENTION_DAYS,
    logLevel: c.LOG_LEVEL,
  }
}
