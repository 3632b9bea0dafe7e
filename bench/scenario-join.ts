// Scenario 3: a new participant joins a workshop of 60 whose board holds what 60 people wrote over
// a session (with its history), while the 60 are connected. Measured per late joiner: the time to
// a synced board over the WebSocket (connect → sync step 2 applied) and, for Kasane, including
// the HTTP join before it.
import { rotate, targetOf, type Ctx } from './context.js'
import type { LoadProc } from './loadproc.js'
import { isKasane } from './rooms.js'
import type { RunningServer, ServerKind } from './servers.js'
import { summarize, type Summary } from './stats.js'

export const JOIN_BOARD_PARTICIPANTS = 60

export type JoinRow = {
  server: ServerKind
  boardBytes: number
  prefillUpdates: number
  syncMs: Summary
  /** Kasane only: HTTP join + connect + sync. */
  joinAndSyncMs: Summary | null
  rateLimited: number
  error?: string
}

type JoinReply = { updates: number; boardBytes: number; httpMs: number[]; syncMs: number[]; totalMs: number[]; rateLimited: number; phasesMs: Record<string, number> }

export async function scenarioJoin(ctx: Ctx, load: LoadProc, servers: Map<ServerKind, RunningServer>): Promise<JoinRow[]> {
  const joins = ctx.quick ? 5 : 20
  const rows: JoinRow[] = []
  for (const kind of rotate(ctx.servers, 1)) {
    if (Date.now() > ctx.deadline) {
      ctx.log(`scenario 3: time budget used up, skipping ${kind}`)
      continue
    }
    const server = servers.get(kind)!
    const plan = { target: targetOf(server), roomIndex: ctx.nextRoom(), participants: JOIN_BOARD_PARTICIPANTS, runId: ctx.runId }
    try {
      // Quick runs type the texts in larger chunks: the same board with a shorter history.
      const r = await load.request<JoinReply>({ op: 'join', plan, joins, typingChunk: ctx.quick ? 30 : 6 })
      const row: JoinRow = {
        server: kind,
        boardBytes: r.boardBytes,
        prefillUpdates: r.updates,
        syncMs: summarize(r.syncMs),
        joinAndSyncMs: isKasane(kind) ? summarize(r.totalMs) : null,
        rateLimited: r.rateLimited,
      }
      rows.push(row)
      ctx.log(`scenario 3 ${kind.padEnd(10)} board ${r.boardBytes} B: sync p50 ${row.syncMs.p50.toFixed(1)} ms p95 ${row.syncMs.p95.toFixed(1)} ms (setup ${Object.entries(r.phasesMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`)
    } catch (err) {
      const error = err instanceof Error ? err.message.split('\n')[0]! : String(err)
      ctx.failures.push(`scenario 3 ${kind}: ${error}`)
      ctx.log(`FAIL scenario 3 ${kind}: ${error}`)
      rows.push({ server: kind, boardBytes: 0, prefillUpdates: 0, syncMs: summarize([]), joinAndSyncMs: null, rateLimited: 0, error })
    }
  }
  const order = new Map(ctx.servers.map((k, i) => [k, i]))
  return rows.sort((a, b) => order.get(a.server)! - order.get(b.server)!)
}
