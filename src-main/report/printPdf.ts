// Prints report HTML to PDF with headless Chromium through playwright-core (the CLI and web host;
// the Electron app prints the same HTML with webContents.printToPDF). playwright-core is loaded
// only when a PDF is asked for, and a missing Chromium is a clear error — the HTML still works.
import { existsSync } from 'node:fs'

/** Where Chromium is looked for when COILSCOPE_CHROMIUM does not name one. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']

export class PdfPrintError extends Error {}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env.COILSCOPE_CHROMIUM
  if (named) return existsSync(named) ? named : null
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path)) ?? null
}

export interface PrintOptions {
  /** Left footer text on every page (e.g. the source and run). */
  readonly footer: string
  readonly chromiumPath?: string
}

export async function printHtmlToPdf(html: string, options: PrintOptions): Promise<Buffer> {
  const executablePath = options.chromiumPath ?? findChromium()
  if (!executablePath) {
    const where = process.env.COILSCOPE_CHROMIUM ? `COILSCOPE_CHROMIUM=${process.env.COILSCOPE_CHROMIUM} does not exist` : `looked in ${CHROMIUM_CANDIDATES.join(', ')}`
    throw new PdfPrintError(`cannot print the PDF: no Chromium found (${where}); install chromium, set COILSCOPE_CHROMIUM, or write .html instead`)
  }
  let chromium: typeof import('playwright-core').chromium
  try {
    ;({ chromium } = await import('playwright-core'))
  } catch {
    throw new PdfPrintError('cannot print the PDF: playwright-core is not installed (npm install); write .html instead')
  }
  let browser
  try {
    browser = await chromium.launch({ executablePath, args: ['--disable-gpu', '--no-first-run'] })
  } catch (error) {
    throw new PdfPrintError(`cannot print the PDF: Chromium at ${executablePath} did not start (${firstLine(error)})`)
  }
  try {
    const page = await browser.newPage()
    await page.setContent(html, { waitUntil: 'load' })
    return await page.pdf({
      format: 'A4',
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(options.footer),
    })
  } finally {
    await browser.close()
  }
}

/** The page footer: `text` on the left, page n of N on the right (Chromium's and Electron's printToPDF template). */
export function footerTemplate(text: string): string {
  const safe = text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!)
  return `<div style="width:100%;margin:0 11mm;font:7pt 'Liberation Sans',Arial,sans-serif;color:#555;display:flex;justify-content:space-between">
  <span>${safe}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0]
}
