// Phase, timer, lock, focus and group transitions: pure functions of (control, command, now).
// Expected failures are values, never exceptions.
import type { CommandName, CommandPayload, ErrorBody, Timer } from '../../shared/protocol.js'
import type { ControlRecord } from '../store/store.js'

export type Outcome = { ok: true; control: ControlRecord } | { ok: false; error: ErrorBody }

const fail = (code: ErrorBody['code'], message: string): Outcome => ({ ok: false, error: { code, message } })

export function idleTimer(control: Pick<ControlRecord, 'phases' | 'phaseIndex'>): Timer {
  const phase = control.phases[control.phaseIndex]
  return { status: 'idle', endsAt: null, remainingMs: (phase?.durationSec ?? 0) * 1000 }
}

/** A running timer whose end has passed is done, whether or not anyone is watching. */
export function settleTimer(control: ControlRecord, now: number): ControlRecord {
  const t = control.timer
  if (t.status === 'running' && t.endsAt !== null && t.endsAt <= now) {
    return { ...control, timer: { status: 'done', endsAt: null, remainingMs: 0 } }
  }
  return control
}

/** The timer as a client should see it at `now` (remainingMs as of serverTime). */
export function timerAt(timer: Timer, now: number): Timer {
  if (timer.status !== 'running' || timer.endsAt === null) return timer
  return { ...timer, remainingMs: Math.max(0, timer.endsAt - now) }
}

function remaining(timer: Timer, now: number): number {
  return timer.status === 'running' && timer.endsAt !== null ? Math.max(0, timer.endsAt - now) : timer.remainingMs
}

export type CommandContext = {
  now: number
  /** Participant ids with a control-plane connection, in roster order. */
  online: string[]
  participantId: string | null
  /** Uniform random in [0, 1); passed in so that tests are deterministic. */
  random: () => number
}

/** Applies one validated, authorised command. Removal and ending have effects beyond the record. */
export function applyCommand<C extends CommandName>(
  control: ControlRecord,
  name: C,
  payload: CommandPayload<C>,
  ctx: CommandContext,
): Outcome {
  const c = settleTimer(control, ctx.now)
  const p = payload as Record<string, unknown> | null | undefined
  switch (name) {
    case 'phase:goto': {
      const index = p!.index as number
      if (index >= c.phases.length) return fail('INVALID', `no phase ${index}`)
      const next = { ...c, phaseIndex: index, ready: {} }
      return { ok: true, control: { ...next, timer: idleTimer(next) } }
    }
    case 'phase:update': {
      const index = p!.index as number
      const phase = c.phases[index]
      if (!phase) return fail('INVALID', `no phase ${index}`)
      const edited = {
        ...phase,
        ...(p!.title !== undefined && { title: p!.title as string }),
        ...(p!.prompt !== undefined && { prompt: p!.prompt as string }),
        ...(p!.durationSec !== undefined && { durationSec: p!.durationSec as number }),
      }
      const phases = c.phases.map((ph, i) => (i === index ? edited : ph))
      const next = { ...c, phases }
      // An idle timer shows the current phase's duration, so it follows the edit.
      const timer = index === c.phaseIndex && c.timer.status === 'idle' ? idleTimer(next) : c.timer
      return { ok: true, control: { ...next, timer } }
    }
    case 'timer:start': {
      const ms = (p!.seconds as number) * 1000
      return { ok: true, control: { ...c, timer: { status: 'running', endsAt: ctx.now + ms, remainingMs: ms } } }
    }
    case 'timer:pause': {
      if (c.timer.status !== 'running') return fail('CONFLICT', 'the timer is not running')
      return { ok: true, control: { ...c, timer: { status: 'paused', endsAt: null, remainingMs: remaining(c.timer, ctx.now) } } }
    }
    case 'timer:resume': {
      if (c.timer.status !== 'paused') return fail('CONFLICT', 'the timer is not paused')
      const ms = c.timer.remainingMs
      return { ok: true, control: { ...c, timer: { status: 'running', endsAt: ctx.now + ms, remainingMs: ms } } }
    }
    case 'timer:add': {
      if (c.timer.status !== 'running' && c.timer.status !== 'paused') return fail('CONFLICT', 'the timer is not running or paused')
      const left = remaining(c.timer, ctx.now) + (p!.seconds as number) * 1000
      if (left <= 0) return { ok: true, control: { ...c, timer: { status: 'done', endsAt: null, remainingMs: 0 } } }
      const timer: Timer =
        c.timer.status === 'running'
          ? { status: 'running', endsAt: ctx.now + left, remainingMs: left }
          : { status: 'paused', endsAt: null, remainingMs: left }
      return { ok: true, control: { ...c, timer } }
    }
    case 'board:lock':
      return { ok: true, control: { ...c, locked: p!.locked as boolean } }
    case 'focus:set':
      return { ok: true, control: { ...c, focus: p ? { x: p.x as number, y: p.y as number, zoom: p.zoom as number } : null } }
    case 'groups:make':
      return { ok: true, control: { ...c, groups: makeGroups(ctx.online, p!.size as number, ctx.random) } }
    case 'participant:remove': {
      const id = p!.participantId as string
      const { [id]: _r, ...ready } = c.ready
      const { [id]: _g, ...groups } = c.groups
      return { ok: true, control: { ...c, ready, groups } }
    }
    case 'workshop:end':
      return { ok: true, control: { ...c, ended: true, focus: null } }
    case 'ready:set':
      return { ok: true, control: { ...c, ready: { ...c.ready, [ctx.participantId!]: p!.ready as boolean } } }
  }
  return fail('INVALID', 'unknown command')
}

/** Shuffles people into ceil(n/size) groups numbered from 1 whose sizes differ by at most one. */
export function makeGroups(people: string[], size: number, random: () => number): Record<string, number> {
  const shuffled = [...people]
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
  }
  const count = Math.max(1, Math.ceil(shuffled.length / size))
  const groups: Record<string, number> = {}
  shuffled.forEach((id, i) => (groups[id] = (i % count) + 1))
  return groups
}
