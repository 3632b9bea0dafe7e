// Percentiles and small formatting helpers shared by the benchmark runner and its load processes.

export type Summary = { n: number; p50: number; p95: number; p99: number; max: number; mean: number }

/** Nearest-rank percentiles of a set of samples (milliseconds). */
export function summarize(samples: ArrayLike<number>): Summary {
  const n = samples.length
  if (n === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN }
  const sorted = Float64Array.from(samples).sort()
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!
  let sum = 0
  for (let i = 0; i < n; i++) sum += sorted[i]!
  return { n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[n - 1]!, mean: sum / n }
}

/** A growable buffer of float samples that crosses the IPC channel as one typed array. */
export class Samples {
  private buf = new Float64Array(4096)
  length = 0

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.length++] = v
  }

  clear(): void {
    this.length = 0
  }

  toArray(): Float64Array {
    return this.buf.slice(0, this.length)
  }
}

export function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export const round = (v: number, digits = 2): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v)

export const ratio = (ours: number, ref: number): number => (ref > 0 && Number.isFinite(ours) ? round(ours / ref, 2) : NaN)

/** The monotonic clock in µs, as `perf record -k CLOCK_MONOTONIC` stamps its events. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n)

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
