// CPU time and memory of a server process, read from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100 // CLK_TCK on Linux

/** The fields of /proc/<pid>/stat after the command name (state first, then the parent's pid), or null when it is gone. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

/** utime + stime, in ms, from a process's stat fields. */
const cpuMsOf = (fields: string[]) => ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND

/** utime + stime of `pid` in milliseconds, or NaN when it cannot be read. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid)
  return fields ? cpuMsOf(fields) : NaN
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

/**
 * How long the process's main thread (a Node process's event loop) has been ready to run but
 * waiting for a core, in ms (/proc/<pid>/schedstat; NaN when it cannot be read).
 */
export function runQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6
  } catch {
    return NaN
  }
}

/**
 * Measures a process over an interval: call `stop()` at its end. Its CPU time and share, and how
 * long its main thread waited for a core (`waitMs`, `waitPercent`); `ms` is the interval.
 */
export function cpuMeter(pid: number): { stop(): { cpuPercent: number; cpuMs: number; waitPercent: number; waitMs: number; ms: number } } {
  const t0 = performance.now()
  const c0 = cpuMs(pid)
  const w0 = runQueueWaitMs(pid)
  return {
    stop() {
      const dt = performance.now() - t0
      const dc = cpuMs(pid) - c0
      const dw = runQueueWaitMs(pid) - w0
      return { cpuPercent: dt > 0 ? (dc / dt) * 100 : NaN, cpuMs: dc, waitPercent: dt > 0 ? (dw / dt) * 100 : NaN, waitMs: dw, ms: dt }
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

/**
 * What the whole machine did, cumulative: CPU time by kind in ms summed over the cores (/proc/stat;
 * busy is this machine's own work: not idle, iowait, nor steal),
 * the kernel threads' CPU time (every child of kthreadd: the file system's journal, writeback,
 * network work deferred from interrupts) and the pages dirtied and written back (/proc/vmstat).
 * The work a server causes beside its own process.
 */
export type MachineCounters = { busyMs: number; systemMs: number; softirqMs: number; iowaitMs: number; stealMs: number; kthreadMs: number; dirtied: number; written: number }

export function machineCounters(): MachineCounters {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).map(Number)
  // cpu user nice system idle iowait irq softirq steal …, in ticks
  const ms = (i: number) => ((cpu[i] ?? NaN) * 1000) / TICKS_PER_SECOND
  const vm = readFileSync('/proc/vmstat', 'utf8')
  const page = (key: string) => Number(new RegExp(`^${key} (\\d+)`, 'm').exec(vm)?.[1] ?? NaN)
  let kthreadMs = 0
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const fields = statFields(name) // null: gone between the listing and the read
    if (fields && (name === '2' || fields[1] === '2')) kthreadMs += cpuMsOf(fields)
  }
  // busy: user, nice, system, irq and softirq (not idle, iowait, nor steal: another guest's)
  const busyMs = [1, 2, 3, 6, 7].reduce((sum, i) => sum + ms(i), 0)
  return { busyMs, systemMs: ms(3), softirqMs: ms(7), iowaitMs: ms(5), stealMs: ms(8), kthreadMs, dirtied: page('nr_dirtied'), written: page('nr_written') }
}

/** `b - a`, field by field, added to `into` (an interval's counts, or their sum over several intervals). */
export function machineDelta(a: MachineCounters, b: MachineCounters, into?: MachineCounters): MachineCounters {
  const out = { ...b }
  for (const k of Object.keys(out) as (keyof MachineCounters)[]) out[k] = b[k] - a[k] + (into?.[k] ?? 0)
  return out
}
