// Benchmark, printed and not asserted: how long Review takes to show its first image (from the
// click on the tab to the image painted with its overlay) on a fresh page and when the screen is
// shown again, and how long the next image takes to paint after → while the reviewer looks at each
// image for a moment (so the prefetch of the next one has had its chance). Medians in Chromium
// against `coilscope serve`.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { browserUnavailable, inspectedLibrary, launchBrowser, nameReviewer, serve, type Served } from './harness.ts'

const skip = browserUnavailable()
let browser: Browser
let server: Served

before(async () => {
  if (skip) return
  const library = await inspectedLibrary('speed', { folder: 'coils', count: 30, seed: 21, defectRate: 0.7 })
  browser = await launchBrowser()
  server = await serve(['--db', library.dbPath, '--models-root', library.models.root])
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]

/** Clicks a tab in the page and resolves with ms until some image is first painted. */
function clickAndTimePaint(page: Page, tabId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const g = globalThis as unknown as { coilscopePaintTimes: () => Map<number, number>; document: { getElementById(id: string): { click(): void } }; requestAnimationFrame: (f: () => void) => void }
    g.coilscopePaintTimes().clear()
    const started = performance.now()
    g.document.getElementById(id).click()
    for (;;) {
      const first = Math.min(...g.coilscopePaintTimes().values())
      if (Number.isFinite(first)) return first - started
      await new Promise<void>((done) => g.requestAnimationFrame(() => done()))
    }
  }, tabId)
}

test('benchmark: Review open and next-image paint (medians, printed)', { skip: skip ?? false, timeout: 300_000 }, async () => {
  const setup = await browser.newPage()
  await setup.goto(server.url)
  await nameReviewer(setup, 'bench')
  await setup.close()

  const firstOpen: number[] = []
  const reopen: number[] = []
  for (let round = 0; round < 5; round++) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await page.goto(server.url)
    await page.getByRole('grid', { name: 'Images' }).waitFor()
    await page.waitForTimeout(300)
    firstOpen.push(await clickAndTimePaint(page, 'tab-review'))
    await page.waitForTimeout(300)
    await page.locator('#tab-library').click()
    await page.getByRole('grid', { name: 'Images' }).waitFor()
    await page.waitForTimeout(300)
    reopen.push(await clickAndTimePaint(page, 'tab-review'))
    await page.close()
  }

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
  await page.goto(server.url)
  await page.getByRole('tab', { name: 'Review' }).click()
  await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { view: unknown } }).coilscopeReview.view)
  await page.waitForTimeout(500)
  const next = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      coilscopeReview: { view: { imageId: number }; queue: unknown[]; position: number }
      coilscopePaintTimes: () => Map<number, number>
      document: { querySelector(s: string): { dispatchEvent(e: unknown): void } }
      requestAnimationFrame: (f: () => void) => void
      setTimeout: (f: () => void, ms: number) => void
    }
    const times: number[] = []
    const canvas = g.document.querySelector('[data-testid="strip-viewer"] canvas')
    while (g.coilscopeReview.position < g.coilscopeReview.queue.length - 1) {
      await new Promise<void>((done) => g.setTimeout(done, 400)) // a look at the image
      const from = g.coilscopeReview.view.imageId
      g.coilscopePaintTimes().clear()
      const started = performance.now()
      canvas.dispatchEvent(new (globalThis as unknown as { KeyboardEvent: new (type: string, init: object) => unknown }).KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
      for (;;) {
        const id = g.coilscopeReview.view.imageId
        const at = g.coilscopePaintTimes().get(id)
        if (id !== from && at !== undefined) {
          times.push(at - started)
          break
        }
        await new Promise<void>((done) => g.requestAnimationFrame(() => done()))
      }
    }
    return times
  })
  await page.close()

  process.stdout.write(`# review open (tab click → image and overlay painted), fresh page: median ${median(firstOpen).toFixed(1)} ms over ${firstOpen.length} (${firstOpen.map((t) => t.toFixed(0)).join(', ')})\n`)
  process.stdout.write(`# review open again (state kept): median ${median(reopen).toFixed(1)} ms over ${reopen.length} (${reopen.map((t) => t.toFixed(0)).join(', ')})\n`)
  process.stdout.write(`# next image (→ to painted, prefetched): median ${median(next).toFixed(1)} ms, max ${Math.max(...next).toFixed(1)} ms over ${next.length}\n`)
  assert.ok(firstOpen.length === 5 && next.length >= 20, 'every round was measured')
})
