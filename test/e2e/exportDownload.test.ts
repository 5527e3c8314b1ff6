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

test('Report of a time range from the Export screen: the last 8 hours in full; an empty range is named', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const page = await browser.newPage()
  try {
    await page.goto(server.url)
    await page.getByRole('tab', { name: 'Export' }).click()
    await page.getByLabel('Report file name (.pdf or .html)').fill('shift.html')
    await page.getByRole('button', { name: 'Last 8 hours' }).click()
    assert.equal(await page.getByLabel('Report images').inputValue(), 'range')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Write report' }).click()])
    const saved = join(tempDir(), 'shift.html')
    await download.saveAs(saved)
    const html = readFileSync(saved, 'utf8')
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1])
    assert.equal(data.summary.images, 4, 'every image was inspected within the last 8 hours')
    assert.deepEqual([data.range.before.images, data.range.after.images], [0, 0])
    assert.ok(Date.parse(data.range.to) - Date.parse(data.range.from) >= 8 * 3_600_000)

    await page.getByLabel('Range start').fill('2020-01-01T06:00')
    await page.getByLabel('Range end').fill('2020-01-01T14:00')
    await page.getByRole('button', { name: 'Write report' }).click()
    await page.getByRole('alert').getByText(/no image of run 1 was inspected from 2020-01-01T.*: the run's images were inspected from /).waitFor()
  } finally {
    await page.close()
  }
})
