// Prometheus text exposition for /metrics. Counters and histograms are recorded by the code paths
// that do the work; gauges are read when scraped.
type Labels = Record<string, string>

const BUCKETS_MS = [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000]

const key = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
    .join(',')

class Histogram {
  counts = new Array<number>(BUCKETS_MS.length).fill(0)
  sum = 0
  count = 0
  observe(ms: number) {
    this.sum += ms
    this.count++
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]!) this.counts[i]!++
  }
}

export class Metrics {
  private counters = new Map<string, { help: string; values: Map<string, number> }>()
  private histograms = new Map<string, { help: string; values: Map<string, Histogram> }>()
  private gauges = new Map<string, { help: string; read: () => Array<[Labels, number]> }>()

  count(name: string, help: string, labels: Labels = {}, by = 1): void {
    this.counter(name, help, labels)(by)
  }

  observe(name: string, help: string, ms: number, labels: Labels = {}): void {
    this.histogram(name, help, labels)(ms)
  }

  /** A counter with fixed labels for a hot path: the labels are keyed once, not per call. */
  counter(name: string, help: string, labels: Labels = {}): (by?: number) => void {
    let c = this.counters.get(name)
    if (!c) this.counters.set(name, (c = { help, values: new Map() }))
    const values = c.values
    const k = key(labels)
    if (!values.has(k)) values.set(k, 0)
    return (by = 1) => void values.set(k, values.get(k)! + by)
  }

  /** A histogram with fixed labels for a hot path. */
  histogram(name: string, help: string, labels: Labels = {}): (ms: number) => void {
    let h = this.histograms.get(name)
    if (!h) this.histograms.set(name, (h = { help, values: new Map() }))
    const k = key(labels)
    let v = h.values.get(k)
    if (!v) h.values.set(k, (v = new Histogram()))
    const hist = v
    return (ms) => hist.observe(ms)
  }

  gauge(name: string, help: string, read: () => Array<[Labels, number]> | number): void {
    this.gauges.set(name, { help, read: () => { const r = read(); return typeof r === 'number' ? [[{}, r]] : r } })
  }

  render(): string {
    const out: string[] = []
    const lbl = (k: string, extra = '') => (k || extra ? `{${[k, extra].filter(Boolean).join(',')}}` : '')
    for (const [name, g] of this.gauges) {
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`)
      for (const [labels, v] of g.read()) out.push(`${name}${lbl(key(labels))} ${v}`)
    }
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`)
      for (const [k, v] of c.values) out.push(`${name}${lbl(k)} ${v}`)
    }
    for (const [name, h] of this.histograms) {
      out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`)
      for (const [k, v] of h.values) {
        BUCKETS_MS.forEach((b, i) => out.push(`${name}_bucket${lbl(k, `le="${b}"`)} ${v.counts[i]}`))
        out.push(`${name}_bucket${lbl(k, 'le="+Inf"')} ${v.count}`, `${name}_sum${lbl(k)} ${v.sum}`, `${name}_count${lbl(k)} ${v.count}`)
      }
    }
    return out.join('\n') + '\n'
  }
}
