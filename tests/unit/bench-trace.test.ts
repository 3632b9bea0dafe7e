// The trace's reading of `perf script` lines: relays from a read and its socket writes, and the
// main thread's stretches on and off the CPU, from synthetic lines in perf's own format.
import { expect, it } from 'vitest'
import { relaysOf, stretchesIn } from '../../bench/trace.js'

const TID = 4242
/** One line as `perf script -F tid,time,event,trace` prints it; `ms` from an arbitrary origin. */
const line = (ms: number, event: string, trace: string, tid = TID) => ` ${tid}  ${(1000 + ms / 1000).toFixed(6)}: ${event}: ${trace}`
const sw = (ms: number, state: string, next = 'swapper/1', nextPid = 0) =>
  line(ms, 'sched:sched_switch', `prev_comm=node prev_pid=${TID} prev_prio=120 prev_state=${state} ==> next_comm=${next} next_pid=${nextPid} next_prio=120`)

function relay(ms: number, writes: number): string[] {
  const out = [line(ms, 'syscalls:sys_exit_read', '0x25')]
  for (let i = 0; i < writes; i++) {
    out.push(line(ms + 0.1 + i * 0.02, 'syscalls:sys_enter_writev', 'fd: 0x00000017, vec: 0x7ffd, vlen: 0x00000001'))
    out.push(line(ms + 0.11 + i * 0.02, 'syscalls:sys_exit_writev', '0x2a'))
  }
  return out
}

it('finds relays, and splits the main thread into busy, preempted and disk-bound stretches', async () => {
  const lines = [
    ...relay(0, 29),
    sw(1, 'S'), // asleep (idle) until the next update: not a stall
    ...relay(50, 29),
    // 8 ms on the CPU without a system call, then a relay
    ...relay(58.7, 29),
    sw(60, 'R', 'V8 DefaultWorke', 77), // preempted for 6 ms by a thread whose name holds a space
    ...relay(66, 29),
    sw(67, 'D'), // waiting for the disk for 2 ms
    line(69, 'syscalls:sys_enter_pwrite64', 'fd: 0x00000019'),
    line(69.01, 'syscalls:sys_exit_pwrite64', '0x1000'),
    ...relay(70, 3), // a read with few writes is not a relay
    line(71, 'syscalls:sys_exit_read', '0xfffffffffffffff5'), // -EAGAIN: ignored
    ...relay(80, 29).map((l) => l.replace(String(TID), '999')), // another thread: ignored
  ]
  const { relays, stretches } = await relaysOf(lines, new Set([TID]))
  const rs = relays.get(TID)!
  expect(rs.map((r) => Math.round(r.read / 1000 - 1e6))).toEqual([0, 50, 59, 66])
  expect(rs.every((r) => r.writes === 29)).toBe(true)
  const all = stretches.get(TID)!
  const start = (1000 + 0) * 1e6
  const st = stretchesIn(all, [[start, start + 100_000]])
  expect(st.busyOver5).toBe(1)
  expect(st.longestBusyMs).toBeCloseTo(8.03, 2) // from the last write of the relay at 50 ms (50.67) to the read at 58.7
  expect(st.preemptedOver5).toBe(1)
  expect(st.longestPreemptedMs).toBeCloseTo(6, 3)
  expect(st.blockedOver5).toBe(0)
  expect(st.longestBlockedMs).toBeCloseTo(2, 3)
  // Over several windows: only the stretches starting in one of them, per second of their sum.
  const two = stretchesIn(all, [[start, start + 1_000], [start + 59_000, start + 70_000]])
  expect(two).toMatchObject({ busyOver5: 0, preemptedOver5: 1 })
  expect(two.preemptedMsPerSecond).toBeCloseTo(6 / 0.012, 0)
  expect(two.longestBlockedMs).toBeCloseTo(2, 3)
  expect(two.preemptedBy).toEqual([['V8 DefaultWorke', 6 / 0.012]])
  const named = stretchesIn(all, [[start, start + 100_000]], new Map([[77, 'kasane V8 DefaultWorke']]))
  expect(named.preemptedBy!.map(([who]) => who)).toEqual(['kasane V8 DefaultWorke'])
  expect(named.preemptedBy![0]![1]).toBeCloseTo(6 / 0.1, 6)
  // Outside the window nothing counts.
  expect(stretchesIn(all, [[start + 90_000, start + 100_000]])).toMatchObject({ busyOver5: 0, preemptedOver5: 0, longestBlockedMs: 0 })
})
