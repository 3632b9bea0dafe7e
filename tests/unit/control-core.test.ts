import { describe, expect, it } from 'vitest'
import { applyCommand, idleTimer, makeGroups, settleTimer, timerAt } from '../../server/control/core.js'
import type { ControlRecord } from '../../server/store/store.js'
import { phasesFor } from '../../shared/templates.js'

function control(): ControlRecord {
  const base = { phases: phasesFor('my-purpose', 'en')!, phaseIndex: 0, locked: false, ended: false, focus: null, ready: { a: true }, groups: {} }
  return { ...base, timer: idleTimer(base) }
}
const ctx = (now = 1_000_000) => ({ now, online: ['a', 'b', 'c', 'd', 'e'], participantId: null, random: () => 0.42 })

describe('control transitions', () => {
  it('phase:goto resets the timer and every ready flag', () => {
    const started = applyCommand(control(), 'timer:start', { seconds: 60 }, ctx())
    if (!started.ok) throw new Error('start refused')
    const moved = applyCommand(started.control, 'phase:goto', { index: 1 }, ctx())
    expect(moved.ok && moved.control).toMatchObject({ phaseIndex: 1, ready: {}, timer: { status: 'idle', endsAt: null, remainingMs: 15 * 60_000 } })
    expect(applyCommand(control(), 'phase:goto', { index: 8 }, ctx())).toMatchObject({ ok: false, error: { code: 'INVALID' } })
  })

  it('runs, pauses, resumes, adds and finishes the timer', () => {
    let c = control()
    const step = (name: Parameters<typeof applyCommand>[1], payload: unknown, now: number) => {
      const r = applyCommand(c, name, payload as never, ctx(now))
      if (!r.ok) throw new Error(r.error.code)
      c = r.control
    }
    expect(applyCommand(c, 'timer:pause', {}, ctx())).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(applyCommand(c, 'timer:add', { seconds: 60 }, ctx())).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    step('timer:start', { seconds: 120 }, 0)
    expect(c.timer).toEqual({ status: 'running', endsAt: 120_000, remainingMs: 120_000 })
    step('timer:pause', {}, 30_000)
    expect(c.timer).toEqual({ status: 'paused', endsAt: null, remainingMs: 90_000 })
    expect(applyCommand(c, 'timer:pause', {}, ctx(31_000))).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    step('timer:add', { seconds: 60 }, 40_000)
    expect(c.timer).toEqual({ status: 'paused', endsAt: null, remainingMs: 150_000 })
    step('timer:resume', {}, 50_000)
    expect(c.timer).toEqual({ status: 'running', endsAt: 200_000, remainingMs: 150_000 })
    expect(timerAt(c.timer, 100_000).remainingMs).toBe(100_000)
    expect(settleTimer(c, 199_999).timer.status).toBe('running')
    expect(settleTimer(c, 200_000).timer).toEqual({ status: 'done', endsAt: null, remainingMs: 0 })
    step('timer:add', { seconds: -3600 }, 60_000)
    expect(c.timer).toEqual({ status: 'done', endsAt: null, remainingMs: 0 })
  })

  it('edits a phase and keeps an idle timer in step', () => {
    const r = applyCommand(control(), 'phase:update', { index: 0, title: 'Hello', durationSec: 600 }, ctx())
    expect(r.ok && r.control.phases[0]).toMatchObject({ title: 'Hello', durationSec: 600, prompt: 'One word for how you feel right now.' })
    expect(r.ok && r.control.timer.remainingMs).toBe(600_000)
  })

  it('makes groups of online people whose sizes differ by at most one', () => {
    for (let n = 1; n <= 23; n++) {
      for (let size = 2; size <= 8; size++) {
        const ids = Array.from({ length: n }, (_, i) => `p${i}`)
        const groups = makeGroups(ids, size, Math.random)
        const sizes = new Map<number, number>()
        for (const g of Object.values(groups)) sizes.set(g, (sizes.get(g) ?? 0) + 1)
        const counts = [...sizes.values()]
        expect(Object.keys(groups).sort()).toEqual([...ids].sort())
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
        expect(Math.max(...counts)).toBeLessThanOrEqual(size)
        expect([...sizes.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: sizes.size }, (_, i) => i + 1))
      }
    }
  })

  it('ends for good and records ready flags per participant', () => {
    const ended = applyCommand(control(), 'workshop:end', {}, ctx())
    expect(ended.ok && ended.control.ended).toBe(true)
    const ready = applyCommand(control(), 'ready:set', { ready: true }, { ...ctx(), participantId: 'zz' })
    expect(ready.ok && ready.control.ready).toEqual({ a: true, zz: true })
  })
})
