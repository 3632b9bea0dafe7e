// Export timings and sizes: the report for 10 and 60 participants and one participant's sheet
// (with notebook), every text at the SPEC's maximum length in Japanese and English. Several runs
// each, median reported. `npx tsx bench/export.ts` prints one JSON line.
import { buildSample } from '../server/export/sample.js'
import { renderReport } from '../server/export/report.js'
import { renderSheet } from '../server/export/sheet.js'

export type ExportBench = {
  participants: number
  reportMs: number
  reportBytes: number
  sheetMs: number
  sheetBytes: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function timed(f: () => Promise<Buffer>, runs: number): Promise<{ ms: number; bytes: number }> {
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    bytes = (await f()).length
    times.push(performance.now() - t)
  }
  return { ms: Math.round(median(times) * 10) / 10, bytes }
}

export async function benchExports(runs = 5): Promise<{ exports: ExportBench[] }> {
  const out: ExportBench[] = []
  for (const participants of [10, 60]) {
    const s = buildSample({ participants })
    const pid = s.input.roster[0]!.participantId
    const notebook = s.notebook(pid)
    await renderReport(s.input, 'ja') // warm-up: font tables and glyph caches are loaded once per process
    const report = await timed(() => renderReport(s.input, 'ja'), runs)
    const sheet = await timed(() => renderSheet(s.input, 'ja', { participantId: pid, notebook }), runs)
    out.push({ participants, reportMs: report.ms, reportBytes: report.bytes, sheetMs: sheet.ms, sheetBytes: sheet.bytes })
  }
  return { exports: out }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchExports()))
}
