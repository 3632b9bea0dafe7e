// Real Chromium through playwright-core, never a downloaded browser. Suites skip (with a message)
// when /usr/bin/chromium is not installed.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) console.warn(`browser suites skipped: ${CHROMIUM} is not installed (apt-get install chromium)`)

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export const PHONE = { width: 375, height: 667 }
export const DESKTOP = { width: 1440, height: 900 }

const AXE = path.resolve('node_modules/axe-core/axe.min.js')
type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/**
 * Serious and critical axe-core findings on the page as it is now. The page's CSP refuses
 * injected scripts: open the context with `bypassCSP: true`.
 */
export async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE })
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: unknown[] }> } }).axe
    return (await axe.run(document)).violations
  })) as Violation[]
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}
