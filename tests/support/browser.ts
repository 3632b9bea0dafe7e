// Real Chromium through playwright-core, never a downloaded browser. Suites skip (with a message)
// when /usr/bin/chromium is not installed.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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
