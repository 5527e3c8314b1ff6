// The Library in Debian's Chromium against `coilscope serve` with the real inference process: open
// a generated folder, run, watch the progress reach 100 %, filter to class-3 images and check the
// counts against the database; then the themes, a laptop-sized window, the keyboard, the other
// screens, and a 10,000-image source scrolled end to end. Screenshots go to artifacts/e2e/.
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { openStore } from '../../src-main/store/index.ts'
import { tempDir, writeBlockImages } from '../helpers/images.ts'
import { artifactPath, browserUnavailable, coilscope, modelSetForTests, serve, type Served, sharedBrowser } from './harness.ts'

const skip = browserUnavailable()
const SYNTH_COUNT = 16
const browser = sharedBrowser(skip)

/** Console errors and CSP violations of a page, to assert there are none. */
function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} (${message.location().url ? new URL(message.location().url).pathname : 'page'})`)
  })
  page.on('pageerror', (error) => problems.push(error.message))
  return problems
}

async function shoot(page: Page, name: string): Promise<void> {
  // (Code run in the page sees elements untyped: this project has no DOM types, on purpose.)
  await page.locator('img').evaluateAll(async (images) => {
    await Promise.all(images.map((img) => (img.complete ? null : new Promise((done) => ['load', 'error'].forEach((event) => img.addEventListener(event, done, { once: true }))))))
  })
  await page.screenshot({ path: artifactPath(name) })
}

/** From the database itself: images with a class-3 mask in the latest run, images done and failed. */
function countInDatabase(dbPath: string, folder: string): { class3: number; done: number; failed: number; brokenId: number } {
  const store = openStore(dbPath)
  try {
    const source = store.sources.findByPath(folder)!
    const images = store.images.listBySource(source.id)
    const ids = new Set(images.map((i) => i.id))
    const runId = Math.max(...store.runs.list().map((r) => r.id))
    const predictions = store.predictions.listByRun(runId).filter((p) => ids.has(p.imageId))
    return {
      class3: predictions.filter((p) => p.classStats.some((s) => s.classId === 3 && s.areaImagePx > 0)).length,
      done: images.filter((i) => i.status === 'done').length,
      failed: images.filter((i) => i.status === 'failed').length,
      brokenId: images.find((i) => i.relativePath === 'coil-truncated.jpg')!.id,
    }
  } finally {
    store.close()
  }
}

test('open a folder, run it, watch the progress reach 100 %, filter to class 3 and match the database', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const work = tempDir('coilscope-e2e-')
  const folder = join(work, 'coil-2026-11-23')
  await coilscope(['synth', folder, '--count', String(SYNTH_COUNT), '--seed', '3', '--defect-rate', '0.8'])
  await writeBlockImages(folder, 4) // with the fixture set, exactly classes 1…4
  writeFileSync(join(folder, 'coil-truncated.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70]))
  const dbPath = join(work, 'library.db')
  const models = modelSetForTests()
  const server = await serve(['--db', dbPath, '--models-root', models.root])
  const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } })
  const problems = watchProblems(page)
  try {
    await page.goto(server.url)
    // The reviewer named once, so opening Review later does not stop to ask.
    await page.evaluate(() => (globalThis as unknown as { coilscope: { setSettings(p: object): Promise<unknown> } }).coilscope.setSettings({ authorName: 'e2e' }))
    await page.reload()
    await page.getByRole('heading', { name: 'Open a folder of coil images' }).waitFor()
    await shoot(page, '01-library-empty.png')

    await page.getByRole('button', { name: 'Open folder…' }).first().click()
    await page.getByLabel('Folder path on this machine').fill(folder)
    await shoot(page, '02-open-folder-dialog.png')
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    const expectedFiles = SYNTH_COUNT + 4 + 1
    await page.getByRole('option', { name: /coil-2026-11-23/ }).waitFor()
    await page.locator('.filters .total').filter({ hasText: `${expectedFiles} images` }).waitFor()
    await page.getByText('Valid — manifest, hashes and ONNX signatures checked').waitFor({ timeout: 60_000 })
    await page.getByRole('combobox', { name: 'Model set' }).selectOption(models.dir)
    await page.locator('label', { hasText: 'CPU' }).click()
    await shoot(page, '03-library-opened.png')

    await page.getByRole('button', { name: /^Run on coil-2026-11-23/ }).click()
    const progress = page.getByRole('progressbar', { name: /Progress of job/ })
    await progress.waitFor()
    const seen: number[] = []
    let isRunningShot = false
    for (;;) {
      const [now, max] = await Promise.all([progress.getAttribute('aria-valuenow'), progress.getAttribute('aria-valuemax')])
      seen.push(Number(now))
      if (!isRunningShot && Number(now) > 0 && Number(now) < Number(max)) {
        await page.screenshot({ path: artifactPath('04-running.png') })
        isRunningShot = true
      }
      if (Number(max) > 0 && now === max && (await page.locator('article[data-state="done"]').count()) > 0) break
      await page.waitForTimeout(100)
    }
    const job = page.locator('article[data-state="done"]')
    await job.getByText('100 %').waitFor()
    assert.ok(seen.every((v, k) => k === 0 || v >= seen[k - 1]), 'progress only moves forward')
    const database = countInDatabase(dbPath, folder)
    const inspected = database.done + database.failed // the truncated JPEG is inspected, and fails
    await job.getByText(`${inspected} / ${inspected}`).waitFor()
    await job.getByText(`${database.failed} error`).waitFor()
    await page.locator('.filters').getByRole('button', { name: new RegExp(`^done\\s*${database.done}$`, 'i') }).waitFor() // the list refreshed
    await shoot(page, '05-run-done.png')

    await page.getByRole('button', { name: 'Class 3' }).click()
    const label = `${database.class3} of ${expectedFiles} images`
    await page.locator('.filters .total').filter({ hasText: label }).waitFor()
    assert.ok(database.class3 > 0, 'the folder has class-3 images to find')
    const rows = page.locator('[role="row"][id^="image-row-"]')
    await rows.first().waitFor()
    assert.equal(await rows.count(), database.class3)
    assert.equal(await page.locator('[role="row"] .chips').filter({ hasText: 'C3' }).count(), database.class3, 'every row shows a class-3 chip')
    await rows.first().click()
    await page.getByRole('region', { name: 'Selected image' }).getByRole('img').waitFor()
    await shoot(page, '06-filtered-class-3.png')

    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByRole('checkbox', { name: 'Errors only' }).check()
    await page.locator('.filters .total').filter({ hasText: `${database.failed} of ${expectedFiles} images` }).waitFor()
    await rows.first().click()
    const detail = page.getByRole('region', { name: 'Selected image' })
    await detail.getByText('coil-truncated.jpg').waitFor()
    assert.ok((await detail.getByRole('note').innerText()).length > 10, 'the error is readable in place')
    await shoot(page, '07-errors-in-place.png')

    await page.getByRole('checkbox', { name: 'Errors only' }).uncheck()
    const grid = page.getByRole('grid', { name: 'Images' })
    await grid.focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    assert.equal(await grid.getAttribute('aria-activedescendant'), 'image-row-2')
    await page.getByRole('button', { name: /Switch to the light theme/ }).click()
    await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' })
    await shoot(page, '08-library-light.png')
    await page.setViewportSize({ width: 1366, height: 768 })
    await shoot(page, '09-library-1366x768-light.png')
    await page.getByRole('button', { name: /Switch to the dark theme/ }).click()
    await shoot(page, '10-library-1366x768-dark.png')

    await grid.focus()
    await page.keyboard.press('Enter')
    await page.locator('#screen-review').waitFor()
    await page.locator('#screen-review').getByText('Loading…').waitFor({ state: 'hidden' })
    await shoot(page, '11-review.png')
    await page.getByRole('tab', { name: 'Export' }).click()
    await page.locator('#screen-export').waitFor()
    await shoot(page, '12-export.png')
    // The one file that cannot be decoded has no thumbnail either.
    const unexpected = problems.filter((p) => !new RegExp(`\\(/coil/[^/]+/thumb/${database.brokenId}\\)$`).test(p))
    assert.deepEqual(unexpected, [], 'no console errors and no CSP violations')
  } finally {
    await page.close()
    await server.stop()
  }
})

test('a 10,000-image source scrolls with only the rows in view in the page', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const work = tempDir('coilscope-e2e-10k-')
  const folder = join(work, 'coil-10k')
  mkdirSync(folder)
  await coilscope(['synth', join(work, 'one'), '--count', '1', '--seed', '5'])
  const dbPath = join(work, 'library.db')
  seedTenThousand(dbPath, folder, join(work, 'one'))
  const server = await serve(['--db', dbPath, '--models-root', modelSetForTests().root])
  const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } })
  const problems = watchProblems(page)
  try {
    await page.goto(server.url)
    await page.locator('.filters .total').filter({ hasText: '10,000 images' }).waitFor()
    const rows = page.locator('[role="row"][id^="image-row-"]')
    await rows.first().waitFor()
    const frames = await page.locator('.viewport').evaluate(async (viewport) => {
      const nextFrame = () => new Promise((done) => viewport.ownerDocument.defaultView.requestAnimationFrame(done))
      const times: number[] = []
      let last = performance.now()
      for (let k = 0; k < 90; k++) {
        viewport.scrollTop += 1200
        await nextFrame()
        const now = performance.now()
        times.push(now - last)
        last = now
      }
      times.sort((a, b) => a - b)
      return { median: times[45], p90: times[81], rowsInPage: viewport.querySelectorAll('[role="row"][id^="image-row-"]').length as number }
    })
    process.stdout.write(`# 10,000 rows: frame median ${frames.median.toFixed(1)} ms, p90 ${frames.p90.toFixed(1)} ms, ${frames.rowsInPage} rows in the page\n`)
    assert.ok(frames.rowsInPage <= 40, `only the rows in view are in the page (${frames.rowsInPage})`)

    const grid = page.getByRole('grid', { name: 'Images' })
    await grid.focus()
    await page.keyboard.press('End')
    await page.locator('#image-row-9999').getByText('strip-09999.jpg').waitFor()
    await page.keyboard.press('PageUp')
    assert.ok((await rows.count()) <= 40)
    await page.getByRole('button', { name: 'Gate p' }).click() // sort by gate p, descending first
    await page.locator('#image-row-0').waitFor()
    await shoot(page, '13-ten-thousand-images.png')

    // The review filter from the keyboard: the flagged images only, each row saying so, to the end.
    await page.getByRole('button', { name: 'Name' }).click()
    await page.getByLabel('Review', { exact: true }).focus()
    for (let k = 0; k < 4; k++) await page.keyboard.press('ArrowDown') // any → unreviewed → accepted → rejected → flagged
    assert.equal(await page.getByLabel('Review', { exact: true }).inputValue(), 'flagged')
    await page.locator('.filters .total').filter({ hasText: '100 of 10,000 images' }).waitFor()
    await page.locator('#image-row-0').getByText('strip-00000.jpg').waitFor()
    await grid.focus()
    await page.keyboard.press('End')
    await page.locator('#image-row-99').getByText('strip-09900.jpg').waitFor()
    assert.deepEqual(await page.locator('[role="row"][id^="image-row-"] .review').evaluateAll((cells) => [...new Set(cells.map((c) => c.textContent.trim()))]), ['flagged'])
    await page.getByLabel('Review', { exact: true }).selectOption('unreviewed')
    await page.locator('.filters .total').filter({ hasText: '9,880 of 10,000 images' }).waitFor()
    await shoot(page, '13b-review-filter-unreviewed.png')
    assert.deepEqual(problems, [])
  } finally {
    await page.close()
    await server.stop()
  }
})

/** A source of 10,000 images (links to one real JPEG in the folder: a link out of it is not served) with results of a fake run, straight into the store. */
function seedTenThousand(dbPath: string, folder: string, synthFolder: string): void {
  const original = join(folder, '.strip.jpg')
  cpSync(join(synthFolder, readdirSync(synthFolder).find((f) => f.endsWith('.jpg'))!), original)
  const store = openStore(dbPath)
  try {
    store.transaction(() => {
      const source = store.sources.ensure(folder)
      const modelSet = store.modelSets.ensure({
        manifestId: 'synthetic-10k',
        version: '1.0.0',
        manifestSha256: 'e'.repeat(64),
        members: [{ stage: 'segmenter', file: 'seg.onnx', sha256: 'f'.repeat(64) }],
        classes: [
          { id: 1, name: 'pits', color: '#e6b800' },
          { id: 2, name: 'cracks', color: '#00b3e6' },
          { id: 3, name: 'scratches', color: '#e6006b' },
          { id: 4, name: 'scale', color: '#33cc33' },
        ],
      })
      const run = store.runs.create({ sourceId: source.id, modelSetId: modelSet.id, postprocess: {}, gateThreshold: 0.5, tta: ['none'], providerRequested: 'cpu', appVersion: 'test', status: 'done' })
      for (let i = 0; i < 10_000; i++) {
        const name = `strip-${String(i).padStart(5, '0')}.jpg`
        symlinkSync(original, join(folder, name))
        const sha256 = i.toString(16).padStart(64, '0')
        const { image } = store.images.upsert({ sourceId: source.id, relativePath: name, byteSize: 1000, mtimeMs: 1, sha256 })
        const gate = ((i * 7919) % 1000) / 1000
        const areas = [1, 2, 3, 4].map((c) => (gate >= 0.5 && (i + c) % 5 === 0 ? 500 + ((i * c * 37) % 9000) : 0))
        store.predictions.save({
          runId: run.id,
          imageId: image.id,
          imageSha256: sha256,
          gateProbability: gate,
          gatePassed: gate >= 0.5,
          classStats: areas.map((a, k) => ({ classId: k + 1, areaImagePx: a, maxProbability: a > 0 ? 0.9 : 0.1, disagreement: null })),
          probMaps: null,
          masks: [],
        })
        store.images.markDone(image.id, { width: 1600, height: 256 })
        if (i % 100 === 0) store.reviews.record({ imageId: image.id, status: 'flagged', author: 'ana', note: 'edge' })
        else if (i % 250 === 0) store.reviews.record({ imageId: image.id, status: 'accepted', author: 'ana' })
      }
    })
  } finally {
    store.close()
  }
}
