// The web host going away and coming back, in Debian's Chromium: the page shows one lasting
// "disconnected — reconnecting" state (not a toast that disappears, not "Loading…" forever), and
// once `coilscope serve` runs again on the same port and token, the Review screen loads by itself.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { tempDir } from '../helpers/images.ts'
import { browserUnavailable, coilscope, launchBrowser, modelSetForTests, serve, type Served } from './harness.ts'

const skip = browserUnavailable()
const TOKEN = 'e2e-reconnect-0123456789abcdef'
let browser: Browser
let dbPath: string

before(async () => {
  if (skip) return
  const work = tempDir('coilscope-e2e-reconnect-')
  const folder = join(work, 'coils')
  await coilscope(['synth', folder, '--count', '4', '--seed', '2', '--defect-rate', '1'])
  dbPath = join(work, 'reconnect.db')
  await coilscope(['inspect', folder, '--db', dbPath, '--models', modelSetForTests().dir, '--out', join(work, 'model.csv'), '--provider', 'cpu'])
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.once('error', reject)
  })
}

test('host stopped: a lasting disconnected state; host back: Review loads without a reload', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const port = await freePort()
  const args = ['--db', dbPath, '--models-root', modelSetForTests().root, '--port', String(port), '--token', TOKEN]
  let server: Served = await serve(args)
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
  try {
    await page.goto(server.url)
    await page.evaluate(() => (globalThis as unknown as { coilscope: { setSettings(p: object): Promise<unknown> } }).coilscope.setSettings({ authorName: 'E2E Reviewer' }))
    await page.reload()
    await page.getByRole('grid', { name: 'Images' }).waitFor()

    await server.stop()
    await page.getByRole('tab', { name: 'Review' }).click()
    const banner = page.getByTestId('connection-lost')
    await banner.waitFor()
    await page.waitForTimeout(4000)
    assert.ok(await banner.isVisible(), 'the state lasts while the host is away')
    assert.equal(await page.getByText('Loading…').count(), 0, 'Review says why it is empty')
    assert.equal(await page.locator('[role="alert"], .notice').count(), 0, 'no error toasts for a host that is away')

    server = await serve(args)
    await banner.waitFor({ state: 'hidden', timeout: 20_000 })
    await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview?: { view: unknown } }).coilscopeReview?.view, undefined, { timeout: 20_000 })
    await page.getByTestId('strip-viewer').waitFor()
  } finally {
    await page.close()
    await server.stop()
  }
})
