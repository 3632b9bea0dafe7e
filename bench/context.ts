// What every scenario of a run shares: mode, time budget, room numbering and failures.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningServer, ServerKind } from './servers.js'
import type { StopResult } from './loadproc.js'
import type { Target } from './rooms.js'

export type Ctx = {
  quick: boolean
  /** Scenario 1's cycles per rate, when given (`--cycles`). */
  cycles?: number
  /** Scenario 1's rates in edits/s each (`--rates`; 1, 5 and 10 by default). */
  rates: number[]
  /** The load processes' niceness (`--load-nice`; loadproc.ts's LOAD_NICE by default). */
  loadNice: number
  runId: string
  /** Epoch ms after which scenarios skip what they have not started. */
  deadline: number
  servers: ServerKind[]
  log(line: string): void
  nextRoom(): number
  /** Lost updates, gaps, wrong end states or closed clients: each fails the run. */
  failures: string[]
}

export const targetOf = (s: RunningServer): Target => ({ kind: s.kind, wsBase: s.wsBase, wsBases: s.wsBases, httpBase: s.httpBase })

/** Rotates the server order by `k`, so that each server runs first, second and third in turn. */
export function rotate<T>(list: T[], k: number): T[] {
  const n = list.length
  return list.map((_, i) => list[(i + k) % n]!)
}

/**
 * The order of cycle `k`, from a Williams design: over every n cycles (2n when n is odd) each
 * server runs in each place equally often, and within the cycles right after each other server
 * equally often (the step from one cycle to the next adds one pairing more). Rotating alone gives
 * every place, but each server nearly always right after the same other one, which then leaves it
 * its after-effects (a store's disk writes, say).
 */
export function balanced<T>(list: T[], k: number): T[] {
  const n = list.length
  // Offsets 0, 1, n−1, 2, n−2, …: consecutive differences take every value once.
  const offsets = list.map((_, j) => (j % 2 === 1 ? (j + 1) / 2 : (n - j / 2) % n))
  const order = offsets.map((o) => list[(o + k) % n]!)
  return n % 2 === 1 && Math.floor(k / n) % 2 === 1 ? order.reverse() : order
}

export function checkDelivery(ctx: Ctx, what: string, r: StopResult): void {
  const problems: string[] = []
  if (r.lost > 0) problems.push(`${r.lost} of ${r.expected} deliveries lost`)
  if (r.gaps > 0) problems.push(`${r.gaps} sequence gaps`)
  if (r.endStateErrors > 0) problems.push(`${r.endStateErrors} wrong end states`)
  if (r.closedClients > 0) problems.push(`${r.closedClients} clients closed`)
  if (problems.length) {
    const line = `${what}: ${problems.join(', ')}`
    ctx.failures.push(line)
    ctx.log(`FAIL ${line}`)
  }
}

/** `<dir>/<base>.json`, or `<base>-2.json`, `-3`… when a run of the same day is already recorded there. */
export function newResultPath(dir: string, base: string): string {
  for (let n = 1; ; n++) {
    const path = join(dir, `${base}${n === 1 ? '' : `-${n}`}.json`)
    if (!existsSync(path)) return path
  }
}
