// Export timings and sizes: the report for 10 and 60 participants and one participant's sheet
// (with notebook), every text at the SPEC's maximum length in Japanese and English; also the
// first export of the process (cold) and the ZIP of every sheet for 60. Several runs each, median
// reported. `npx tsx bench/export.ts` prints one JSON line; bench/run.ts calls benchExports().
import JSZip from 'jszip'
import { buildSample } from '../server/export/sample.js'
import { renderReport } from '../server/export/report.js'
import { renderSheet } from '../server/export/sheet.js'

export type ExportBench = {
  participants: number
  pages: number
  reportMs: number
  reportCpuMs: number
  reportBytes: number
  sheetMs: number
  sheetCpuMs: number
  sheetBytes: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const round = (ms: number) => Math.round(ms * 10) / 10
const pagesOf = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length

/** Wall time and this process's CPU time (the latter says more on a machine shared with others). */
async function timed(f: () => Promise<Buffer>, runs: number): Promise<{ ms: number; cpuMs: number; bytes: number; last: Buffer }> {
  const times: number[] = []
  const cpu: number[] = []
  let last: Buffer = Buffer.alloc(0)
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    last = await f()
    times.push(performance.now() - t)
    const d = process.cpuUsage(c)
    cpu.push((d.user + d.system) / 1000)
  }
  return { ms: round(median(times)), cpuMs: round(median(cpu)), bytes: last.length, last }
}

export async function benchExports(opts: { quick?: boolean; runs?: number } = {}) {
  const runs = opts.runs ?? (opts.quick ? 3 : 7)
  const out: ExportBench[] = []
  let coldReportMs = 0
  let zip = { participants: 60, ms: 0, cpuMs: 0, bytes: 0 }
  for (const participants of [10, 60]) {
    const s = buildSample({ participants })
    const pid = s.input.roster[0]!.participantId
    const notebook = s.notebook(pid)
    const t = performance.now()
    await renderReport(s.input, 'ja') // the first export of the process parses the fonts
    if (participants === 10) coldReportMs = round(performance.now() - t)
    const report = await timed(() => renderReport(s.input, 'ja'), runs)
    const sheet = await timed(() => renderSheet(s.input, 'ja', { participantId: pid, notebook }), runs)
    out.push({ participants, pages: pagesOf(report.last), reportMs: report.ms, reportCpuMs: report.cpuMs, reportBytes: report.bytes, sheetMs: sheet.ms, sheetCpuMs: sheet.cpuMs, sheetBytes: sheet.bytes })
    if (participants === 60) {
      const z = await timed(async () => {
        const archive = new JSZip()
        for (const p of s.input.roster) archive.file(`${p.participantId}.pdf`, await renderSheet(s.input, 'ja', { participantId: p.participantId, notebook: null }))
        return archive.generateAsync({ type: 'nodebuffer', compression: 'STORE' })
      }, 1)
      zip = { participants, ms: z.ms, cpuMs: z.cpuMs, bytes: z.bytes }
    }
  }
  return { exports: out, coldReportMs, zip, aim: { report60Ms: 1500, report60Bytes: 2 * 1024 * 1024, sheetMs: 150 } }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchExports()))
}
