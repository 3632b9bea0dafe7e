// Group commit: updates pushed while a write is in flight go together in the next write, in the
// order they were pushed; drained() waits for all of them; a failed write drops what waits.
import { expect, it } from 'vitest'
import { GroupCommit, type Pending } from '../../server/sync/group-commit.js'

const u = (n: number) => new Uint8Array([n])

function controlled() {
  const batches: number[][] = []
  const release: (() => void)[] = []
  let ok = true
  const gc = new GroupCommit<string>(async (batch: Pending<string>[]) => {
    batches.push(batch.map((b) => b.update[0]!))
    await new Promise<void>((r) => release.push(r))
    return ok
  })
  return { gc, batches, release, fail: () => (ok = false) }
}

const tick = () => new Promise((r) => setImmediate(r))

it('writes the first update at once and what arrives meanwhile together, in order', async () => {
  const { gc, batches, release } = controlled()
  gc.push(u(1), 'a')
  await tick()
  expect(batches).toEqual([[1]])
  gc.push(u(2), 'b')
  gc.push(u(3), 'c')
  await tick()
  expect(batches).toEqual([[1]])
  release.shift()!()
  await tick()
  expect(batches).toEqual([[1], [2, 3]])
  let drained = false
  void gc.drained().then(() => (drained = true))
  await tick()
  expect(drained).toBe(false)
  release.shift()!()
  await gc.drained()
  expect(batches).toEqual([[1], [2, 3]])
})

it('drops what waits when a write fails, and drained() still resolves', async () => {
  const { gc, batches, release, fail } = controlled()
  gc.push(u(1), 'a')
  gc.push(u(2), 'b')
  gc.push(u(3), 'c')
  await tick()
  expect(batches).toEqual([[1]])
  fail()
  release.shift()!()
  await gc.drained()
  expect(batches).toEqual([[1]])
  // Nothing is left over: a later push starts a fresh write with only itself.
  gc.push(u(4), 'd')
  await tick()
  expect(batches).toEqual([[1], [4]])
  release.shift()!()
  await gc.drained()
})

it('passes each update with its own meta (who is not sent their own update)', async () => {
  const seen: [number, string][] = []
  const gc = new GroupCommit<string>(async (batch) => {
    for (const b of batch) seen.push([b.update[0]!, b.meta])
    return true
  })
  gc.push(u(7), 'alice')
  gc.push(u(8), 'bob')
  await gc.drained()
  expect(seen).toEqual([[7, 'alice'], [8, 'bob']])
})

it('commits at once, in the caller\'s turn, when the store answers at once', async () => {
  const seen: number[][] = []
  let depth = 0
  const gc: GroupCommit<string> = new GroupCommit<string>((batch) => {
    expect(depth).toBe(0) // never one commit inside another
    depth++
    seen.push(batch.map((b) => b.update[0]!))
    // What is pushed during a commit (a relay's consequence) is committed after it, in the same turn.
    if (batch[0]!.update[0] === 1) gc.push(u(2), 'b')
    depth--
    return true
  })
  gc.push(u(1), 'a')
  expect(seen).toEqual([[1], [2]])
  gc.push(u(3), 'c')
  expect(seen).toEqual([[1], [2], [3]])
  await gc.drained()
})

it('a synchronous failure drops only what waits with it', () => {
  const seen: number[][] = []
  const gc: GroupCommit<string> = new GroupCommit<string>((batch) => {
    seen.push(batch.map((b) => b.update[0]!))
    if (batch[0]!.update[0] === 1) gc.push(u(2), 'b')
    return batch[0]!.update[0] !== 1
  })
  gc.push(u(1), 'a')
  expect(seen).toEqual([[1]])
  gc.push(u(3), 'c')
  expect(seen).toEqual([[1], [3]])
})
