// The presence relay interval follows the event loop's load: longer while busy, back to the
// minimum when idle, always within its bounds, and unmoved in between.
import { expect, it } from 'vitest'
import { PRESENCE_MAX_MS, PRESENCE_MIN_MS, PresencePace } from '../../server/sync/pace.js'

function paced(loads: number[]): { pace: PresencePace; seen: number[] } {
  let i = 0
  const pace = new PresencePace(() => loads[i++]!)
  const seen: number[] = []
  for (let k = 0; k < loads.length; k++) {
    pace.sample()
    seen.push(pace.everyMs)
  }
  return { pace, seen }
}

it('starts at the minimum and stays there while the loop has time to spare', () => {
  expect(new PresencePace(() => 0).everyMs).toBe(PRESENCE_MIN_MS)
  expect(paced([0.1, 0.3, 0.39, 0.2]).seen).toEqual([50, 50, 50, 50])
})

it('relays less often step by step while busy, never beyond the maximum', () => {
  const { seen } = paced(Array(10).fill(0.95))
  for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]!)
  expect(seen[0]).toBeGreaterThan(PRESENCE_MIN_MS)
  expect(seen[0]).toBeLessThan(PRESENCE_MAX_MS)
  expect(seen.at(-1)).toBe(PRESENCE_MAX_MS)
})

it('holds between the thresholds and comes back down when the load goes', () => {
  const { seen } = paced([0.9, 0.9, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1])
  expect(seen[2]).toBe(seen[1])
  expect(seen[3]).toBe(seen[1])
  expect(seen.at(-1)).toBe(PRESENCE_MIN_MS)
})
