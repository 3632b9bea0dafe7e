// The benchmark's statistics: the paired bootstrap behind each ratio's interval, and the machine
// counters read beside the servers.
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { availableParallelism } from 'node:os'
import { cpuMeter, machineCounters, machineDelta, runQueueWaitMs } from '../../bench/proc.js'
import { ratioIntervals, summarize } from '../../bench/stats.js'

/** A latency-like sample (log-normal around `medianMs`), from a seeded generator. */
function slice(n: number, medianMs: number, next: () => number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
    out[i] = medianMs * Math.exp(0.5 * z)
  }
  return out
}

function generator(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
}

/** The intervals of two quantiles. */
const pair = (r: [number, number][]) => [r[0]!, r[1]!] as const

describe('ratioIntervals', () => {
  it('contains 1 for two servers drawn alike, and the true ratio for one 1.5 times slower', () => {
    const next = generator(7)
    const ref = Array.from({ length: 30 }, () => slice(2000, 2, next))
    const same = Array.from({ length: 30 }, () => slice(2000, 2, next))
    const slower = Array.from({ length: 30 }, () => slice(2000, 3, next))
    const [[lo50, hi50], [lo99, hi99]] = pair(ratioIntervals(same, ref, [0.5, 0.99]))
    expect(lo50).toBeLessThanOrEqual(1)
    expect(hi50).toBeGreaterThanOrEqual(1)
    expect(hi50 - lo50).toBeLessThan(0.1)
    expect(lo99).toBeLessThanOrEqual(1)
    expect(hi99).toBeGreaterThanOrEqual(1)
    const [[s50lo, s50hi], [s99lo, s99hi]] = pair(ratioIntervals(slower, ref, [0.5, 0.99]))
    expect(s50lo).toBeGreaterThan(1.3)
    expect(s50lo).toBeLessThanOrEqual(1.52)
    expect(s50hi).toBeGreaterThanOrEqual(1.48)
    expect(s99lo).toBeGreaterThan(1.2)
    expect(s99lo).toBeLessThanOrEqual(1.55)
    expect(s99hi).toBeGreaterThanOrEqual(1.45)
  })

  it('keeps drift shared by both servers of a cycle out of the interval', () => {
    // Each cycle the machine is slower or faster for both servers alike (up to 2×); ours is 1.2×.
    const next = generator(11)
    const speed = Array.from({ length: 30 }, () => 1 + next())
    const ref = speed.map((k) => slice(2000, 2 * k, next))
    const ours = speed.map((k) => slice(2000, 2.4 * k, next))
    const [lo, hi] = ratioIntervals(ours, ref, [0.5])[0]!
    expect(lo).toBeGreaterThan(1.12)
    expect(hi).toBeLessThan(1.28)
    expect(lo).toBeLessThanOrEqual(1.2)
    expect(hi).toBeGreaterThanOrEqual(1.19)
    // The point estimate is the ratio of the pooled medians, which the interval brackets.
    const pooled = (parts: Float64Array[]) => summarize(Float64Array.from(parts.flatMap((p) => [...p]))).p50
    const point = pooled(ours) / pooled(ref)
    expect(point).toBeGreaterThan(lo - 0.02)
    expect(point).toBeLessThan(hi + 0.02)
  })

  it('gives the same interval for the same figures, and none for fewer than ten cycles', () => {
    const next = generator(3)
    const a = Array.from({ length: 10 }, () => slice(500, 2, next))
    const b = Array.from({ length: 10 }, () => slice(500, 2, next))
    expect(ratioIntervals(a, b, [0.99])).toEqual(ratioIntervals(a, b, [0.99]))
    expect(ratioIntervals(a.slice(0, 3), b.slice(0, 3), [0.5])[0]!.every(Number.isNaN)).toBe(true)
    expect(ratioIntervals(a, b, [0.5])[0]!.every(Number.isFinite)).toBe(true)
  })
})

describe('machineCounters', () => {
  it('reads finite, cumulative counters and subtracts and sums them field by field', () => {
    const a = machineCounters()
    const b = machineCounters()
    for (const v of Object.values(a)) expect(Number.isFinite(v)).toBe(true)
    expect(a.busyMs).toBeGreaterThanOrEqual(a.systemMs + a.softirqMs)
    const d = machineDelta(a, b)
    for (const v of Object.values(d)) expect(v).toBeGreaterThanOrEqual(0)
    const twice = machineDelta(a, b, d)
    for (const k of Object.keys(d) as (keyof typeof d)[]) expect(twice[k]).toBe(2 * d[k])
  })
})

describe('runQueueWaitMs', () => {
  it('reads how long processes that outnumber the cores waited for one, and NaN once a process is gone', async () => {
    // One spinning process more than there are cores: the scheduler makes them take turns.
    const spin = 'const t = Date.now(); while (Date.now() - t < 600);'
    const kids = Array.from({ length: availableParallelism() + 1 }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }))
    const meters = kids.map((k) => cpuMeter(k.pid!))
    await new Promise((r) => setTimeout(r, 400))
    const measured = meters.map((m) => m.stop())
    await Promise.all(kids.map((k) => (k.exitCode === null ? once(k, 'exit') : null)))
    for (const m of measured) expect(m.waitPercent).toBeGreaterThanOrEqual(0)
    // Together they wanted more than every core for the whole window; what they did not get, they waited for.
    expect(measured.reduce((n, m) => n + m.waitPercent, 0)).toBeGreaterThan(10)
    expect(runQueueWaitMs(kids[0]!.pid!)).toBeNaN()
  })
})
