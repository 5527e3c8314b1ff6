// The Export screen in Debian's Chromium against `coilscope serve`: the user names a file, the host
// writes it under the library's export folder, and the browser downloads it — the same bytes.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { tempDir, writeBlockImages } from '../helpers/images.ts'
import { browserUnavailable, coilscope, launchBrowser, modelSetForTests, serve, type Served } from './harness.ts'

const skip = browserUnavailable()
let browser: Browser
let server: Served
let work: string

before(async () => {
  if (skip) return
  work = tempDir('coilscope-e2e-export-')
  const folder = join(work, 'coils')
  await coilscope(['synth', folder, '--count', '2', '--seed', '5'])
  await writeBlockImages(folder, 2)
  const models = modelSetForTests()
  await coilscope(['inspect', folder, '--db', join(work, 'lib.db'), '--models', models.dir, '--provider', 'cpu', '--out', join(work, 'submission.csv')])
  browser = await launchBrowser()
  server = await serve(['--db', join(work, 'lib.db'), '--models-root', models.root])
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

test('Export in the browser: a file name, written under the library, downloaded', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const page = await browser.newPage()
  try {
    await page.goto(server.url)
    await page.getByRole('tab', { name: 'Export' }).click()
    const name = page.getByLabel('Export file name')
    assert.equal(await name.inputValue(), 'coils-export.csv', 'a name, not a path')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()])
    assert.equal(download.suggestedFilename(), 'coils-export.csv')
    const saved = join(tempDir(), 'downloaded.csv')
    await download.saveAs(saved)
    const written = join(work, 'exports', '1', 'coils-export.csv')
    assert.equal(readFileSync(saved, 'utf8'), readFileSync(written, 'utf8'))
    await page.getByRole('status').getByText(/Wrote .*coils-export\.csv: 4 images/).waitFor()

    await name.fill('/tmp/elsewhere.csv')
    await page.getByRole('button', { name: 'Export', exact: true }).click()
    await page.getByRole('alert').getByText(/give a file name/).waitFor()
  } finally {
    await page.close()
  }
})
