import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/config.js'

describe('configuration', () => {
  it('has the defaults of SPEC §1', () => {
    expect(loadConfig({})).toEqual({
      port: 3000, host: '0.0.0.0', dataDir: './data', maxParticipants: 100, retentionDays: 90, logLevel: 'info',
      publicUrl: undefined, databaseUrl: undefined, redisUrl: undefined, createKey: undefined, allowedOrigins: undefined, trustProxy: undefined,
    })
  })

  it('parses every variable', () => {
    const c = loadConfig({
      PORT: '8080', HOST: '127.0.0.1', PUBLIC_URL: 'https://kasane.example/', DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379', CREATE_KEY: 'k', ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: '1', MAX_PARTICIPANTS: '60', RETENTION_DAYS: '30', LOG_LEVEL: 'silent',
    })
    expect(c).toMatchObject({ port: 8080, publicUrl: 'https://kasane.example', allowedOrigins: ['https://a.example', 'https://b.example'], trustProxy: 1, maxParticipants: 60, logLevel: 'silent' })
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true)
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8')
  })

  it('names the variable that is wrong', () => {
    const cases: Record<string, string> = {
      PORT: '70000', MAX_PARTICIPANTS: 'many', RETENTION_DAYS: '0', LOG_LEVEL: 'loud', PUBLIC_URL: 'ftp://x', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', ALLOWED_ORIGINS: 'not an origin',
    }
    for (const [name, value] of Object.entries(cases)) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `))
    }
  })
})
