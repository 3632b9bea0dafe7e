// CPU time and memory of a server process, read from /proc (Linux).
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100 // CLK_TCK on Linux

/** utime + stime of `pid` in milliseconds, or NaN when it cannot be read. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    return ((utime + stime) * 1000) / TICKS_PER_SECOND
  } catch {
    return NaN
  }
}

/** Resident set size (VmRSS) and its peak (VmHWM) in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
  } catch {
    return { rss: NaN, peak: NaN }
  }
}

/** Measures the CPU share of a process over an interval: call `stop()` at its end. */
export function cpuMeter(pid: number): { stop(): { cpuPercent: number; cpuMs: number } } {
  const t0 = performance.now()
  const c0 = cpuMs(pid)
  return {
    stop() {
      const dt = performance.now() - t0
      const dc = cpuMs(pid) - c0
      return { cpuPercent: dt > 0 ? (dc / dt) * 100 : NaN, cpuMs: dc }
    },
  }
}

/** System calls that write (write, writev: one per socket flush) and read, and their bytes, from /proc/<pid>/io. */
export function ioCounters(pid: number): { writes: number; writeBytes: number; reads: number; readBytes: number } {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8')
    const n = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(io)?.[1] ?? NaN)
    return { writes: n('syscw'), writeBytes: n('wchar'), reads: n('syscr'), readBytes: n('rchar') }
  } catch {
    return { writes: NaN, writeBytes: NaN, reads: NaN, readBytes: NaN }
  }
}
