// A room's serial queue: a task given to an idle queue starts in the caller's turn; everything
// else runs after what was queued before it, including what a running task queues itself; a
// failing task fails only itself.
import { expect, it } from 'vitest'
import { SerialQueue } from '../../server/sync/queue.js'

const tick = () => new Promise((r) => setImmediate(r))

it('starts a task at once when nothing else is queued', () => {
  const q = new SerialQueue()
  const log: string[] = []
  void q.run(() => log.push('a'))
  log.push('after run')
  expect(log).toEqual(['a', 'after run'])
})

it('runs a task given while another is running after it, in order', async () => {
  const q = new SerialQueue()
  const log: string[] = []
  let release!: () => void
  const first = q.run(async () => {
    log.push('a start')
    await new Promise<void>((r) => (release = r))
    log.push('a end')
  })
  const second = q.run(() => log.push('b'))
  const third = q.run(() => log.push('c'))
  await tick()
  expect(log).toEqual(['a start'])
  release()
  await Promise.all([first, second, third])
  expect(log).toEqual(['a start', 'a end', 'b', 'c'])
})

it('runs what a task queues itself after that task, even when the task started at once', async () => {
  const q = new SerialQueue()
  const log: string[] = []
  let inner: Promise<unknown> = Promise.resolve()
  await q.run(async () => {
    inner = q.run(() => log.push('inner'))
    log.push('outer start')
    await tick()
    log.push('outer end')
  })
  await inner
  expect(log).toEqual(['outer start', 'outer end', 'inner'])
})

it('fails only the failing task, whether it throws at once or later', async () => {
  const q = new SerialQueue()
  const thrown = q.run(() => {
    throw new Error('at once')
  })
  const rejected = q.run(async () => {
    await tick()
    throw new Error('later')
  })
  const after = q.run(() => 'still runs')
  await expect(thrown).rejects.toThrow('at once')
  await expect(rejected).rejects.toThrow('later')
  await expect(after).resolves.toBe('still runs')
  // Idle again: the next task starts in the caller's turn.
  let ran = false
  void q.run(() => (ran = true))
  expect(ran).toBe(true)
})
