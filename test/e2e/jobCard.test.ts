// A job in the Library in Debian's Chromium against `coilscope serve`, with the real inference
// process: files that are not images are counted on the job (a readme.txt is not lost), a paused
// job shows no ETA, and job ids go on after the host restarts instead of starting at 1 again.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { tempDir } from '../helpers/images.ts'
import { browserUnavailable, coilscope, modelSetForTests, openFolderWithModels, serve, sharedBrowser, sourceOption } from './harness.ts'

const skip = browserUnavailable()
const browser = sharedBrowser(skip)

async function openAndRun(page: Page, folder: string, modelsDir: string): Promise<void> {
  await openFolderWithModels(page, folder, /line7/, modelsDir)
  await page.getByRole('button', { name: /^Run on line7/ }).click()
}

test('a job counts the files it skipped, shows no ETA while paused, and its id goes on after a restart', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const work = tempDir('coilscope-e2e-jobs-')
  const folder = join(work, 'line7')
  await coilscope(['synth', folder, '--count', '30', '--seed', '8', '--defect-rate', '0.5'])
  writeFileSync(join(folder, 'readme.txt'), 'Coil line 7, shift B.\n')
  const dbPath = join(work, 'jobs.db')
  const models = modelSetForTests()
  let server = await serve(['--db', dbPath, '--models-root', models.root])
  const page = await browser().newPage({ viewport: { width: 1366, height: 768 } })
  try {
    await page.goto(server.url)
    await openAndRun(page, folder, models.dir)
    const job = page.locator('article[aria-label^="Job 1:"]')
    await job.getByRole('button', { name: 'Pause' }).click()
    await page.locator('article[aria-label^="Job 1:"][data-state="paused"]').waitFor({ timeout: 60_000 })
    await page.waitForTimeout(500)
    assert.ok(!(await job.innerText()).includes('ETA'), `a paused job shows no ETA: ${await job.innerText()}`)
    // readme.txt and the truth.csv beside the images: neither is an image, both are counted.
    await job.getByTestId('scan-skipped').filter({ hasText: '2 files skipped (not images)' }).waitFor()
    await job.getByRole('button', { name: 'Resume' }).click()
    await page.locator('article[aria-label^="Job 1:"][data-state="done"]').waitFor({ timeout: 120_000 })
    await server.stop()

    server = await serve(['--db', dbPath, '--models-root', models.root])
    await page.goto(server.url)
    await sourceOption(page, /line7/).click()
    await page.getByText('Valid — manifest, hashes and ONNX signatures checked').waitFor({ timeout: 60_000 })
    await page.getByRole('combobox', { name: 'Model set' }).selectOption(models.dir)
    await page.locator('label', { hasText: 'CPU' }).click()
    await page.getByRole('button', { name: /^Run on line7/ }).click()
    await page.locator('article[aria-label^="Job 2:"]').waitFor()
    // The library's earlier job is listed from its row, finished; the new one did not take its id.
    const earlier = page.locator('article[aria-label^="Job 1:"]')
    assert.equal(await earlier.count(), 1, 'one job 1, the earlier one')
    assert.equal(await earlier.getAttribute('data-state'), 'done')
  } finally {
    await page.close()
    await server.stop()
  }
})
