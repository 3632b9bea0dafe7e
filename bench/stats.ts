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

// Quantiles for the bootstrap below are read from histograms of log-spaced bins 1 % wide from
// 0.01 ms (up to some 11 s), so that a resample is a sum of histograms rather than a sort.
const BIN_FLOOR_MS = 0.01
const BIN_STEP = Math.log(1.01)
const BINS = 1400
const binOf = (ms: number) => Math.min(BINS - 1, Math.max(0, Math.floor(Math.log(ms / BIN_FLOOR_MS) / BIN_STEP)))

function histogram(samples: Float64Array): Uint32Array {
  const h = new Uint32Array(BINS)
  for (let i = 0; i < samples.length; i++) h[binOf(samples[i]!)]!++
  return h
}

/** The nearest-rank quantile `q` of a histogram of `n` samples, as its bin's lower edge. */
function histogramQuantile(h: Float64Array, n: number, q: number): number {
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)))
  let seen = 0
  for (let b = 0; b < BINS; b++) {
    seen += h[b]!
    if (seen >= rank) return BIN_FLOOR_MS * Math.exp(b * BIN_STEP)
  }
  return NaN
}

/** A small seeded generator (mulberry32), so that the same figures give the same interval. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MIN_CYCLES = 10

/**
 * A 95 % interval for the ratio of quantiles `qs` of `ours` to those of `ref`, by a paired bootstrap
 * over slices: slice i of both ran in the same cycle, moments apart, so resampling whole cycles keeps
 * the machine's drift shared as it was. Answers how far one run's ratio can be trusted: a bound the
 * interval straddles is not decided by that run.
 */
export function ratioIntervals(ours: Float64Array[], ref: Float64Array[], qs: number[], resamples = 1000): [number, number][] {
  const cycles = Math.min(ours.length, ref.length)
  // A quick run's three cycles have ten distinct resamples: no interval rather than a misleading one.
  if (cycles < MIN_CYCLES) return qs.map(() => [NaN, NaN])
  const ho = ours.slice(0, cycles).map(histogram)
  const hr = ref.slice(0, cycles).map(histogram)
  const random = seeded(1)
  const draws = qs.map(() => new Float64Array(resamples))
  const so = new Float64Array(BINS)
  const sr = new Float64Array(BINS)
  for (let r = 0; r < resamples; r++) {
    so.fill(0)
    sr.fill(0)
    let no = 0
    let nr = 0
    for (let c = 0; c < cycles; c++) {
      const i = Math.floor(random() * cycles)
      const a = ho[i]!
      const b = hr[i]!
      for (let k = 0; k < BINS; k++) {
        so[k]! += a[k]!
        sr[k]! += b[k]!
      }
      no += ours[i]!.length
      nr += ref[i]!.length
    }
    qs.forEach((q, j) => (draws[j]![r] = histogramQuantile(so, no, q) / histogramQuantile(sr, nr, q)))
  }
  return draws.map((d) => {
    d.sort()
    return [round(d[Math.floor(0.025 * resamples)]!, 2), round(d[Math.ceil(0.975 * resamples) - 1]!, 2)]
  })
}

export const round = (v: number, digits = 2): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v)

export const ratio = (ours: number, ref: number): number => (ref > 0 && Number.isFinite(ours) ? round(ours / ref, 2) : NaN)

/** The monotonic clock in µs, as `perf record -k CLOCK_MONOTONIC` stamps its events. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n)

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
