// Structured JSON logs (one object a line). Callers pass ids and counts only: never tokens, never
// anything a person wrote.
import type { LogLevel } from './config.js'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }
export type Fields = Record<string, string | number | boolean | null | undefined>

export type Logger = {
  debug(msg: string, fields?: Fields): void
  info(msg: string, fields?: Fields): void
  warn(msg: string, fields?: Fields): void
  error(msg: string, fields?: Fields): void
}

export function createLogger(level: LogLevel, nodeId: string, out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Fields) => {
    if (ORDER[lvl] < ORDER[level]) return
    out(JSON.stringify({ time: new Date().toISOString(), level: lvl, node: nodeId, msg, ...fields }))
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
