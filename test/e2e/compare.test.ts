// The Compare screen in Debian's Chromium against `coilscope serve`: the fixture set inspected by
// the CLI (A) against a copy without one segmenter member (B), which the app runs when asked. The
// table shows the Dice drop with its interval, the image with B's extra halo ranks first, the
// overlay draws the halo as "B only" and the block as "both", X flips A and B, and the decision
// is recorded in the store. Opened in Review, the comparison draws the same overlay on the strip
// viewer (A's run, the disagreeing images as the queue), X flips, and leaving gives the whole queue.
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { openStore } from '../../src-main/store/index.ts'
import { artifactPath, browserUnavailable, compareLibrary, nameReviewer, serve, sharedBrowser } from './harness.ts'

const skip = browserUnavailable()
const browser = sharedBrowser(skip)

/** The strip viewer's overlay at Review's default opacity over a grey. */
const ALPHA = Math.round(0.45 * 255) / 255
const blend = (grey: number, colour: readonly number[]) => colour.map((c) => grey + (c - grey) * ALPHA)

/** The review state the e2e build exposes (src-renderer/src/testHooks.ts). */
type ReviewHook = {
  queue: { relativePath: string }[]
  view: { imageId: number } | null
  zoom: { viewport: { scale: number; offsetX: number; offsetY: number } }
  comparison: { view: string; shownImageId: number | null }
}

type Canvas = { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }

async function waitForComparison(page: Page, view: string): Promise<void> {
  await page.waitForFunction((wanted) => {
    const review = (globalThis as unknown as { coilscopeReview: ReviewHook }).coilscopeReview
    return review.comparison.view === wanted && review.comparison.shownImageId === review.view?.imageId
  }, view)
  await page.locator(`[data-testid="review-comparison"][data-view="${view}"]`).waitFor()
}

const reviewQueueNames = (page: Page) => page.evaluate(() => (globalThis as unknown as { coilscopeReview: ReviewHook }).coilscopeReview.queue.map((q) => q.relativePath))

/** Waits until the strip viewer shows about `expected` (RGB) at an image point. */
async function expectShown(page: Page, x: number, y: number, expected: readonly number[]): Promise<void> {
  let actual: number[] = []
  for (let tries = 0; tries < 50; tries++) {
    actual = await page.evaluate(([px, py]) => {
      const page = globalThis as unknown as { coilscopeReview: ReviewHook; devicePixelRatio: number; document: { querySelector(s: string): Canvas } }
      const { viewport } = page.coilscopeReview.zoom
      const ratio = page.devicePixelRatio || 1
      const at = (v: number, offset: number) => Math.floor((offset + (v + 0.5) * viewport.scale) * ratio)
      const canvas = page.document.querySelector('[data-testid="strip-viewer"] canvas')
      return Array.from(canvas.getContext('2d').getImageData(at(px, viewport.offsetX), at(py, viewport.offsetY), 1, 1).data).slice(0, 3)
    }, [x, y])
    if (actual.every((v, k) => Math.abs(v - expected[k]) <= 3)) return
    await page.waitForTimeout(100)
  }
  assert.fail(`at (${x}, ${y}) the viewer shows ${actual}, expected about ${expected.map(Math.round)}`)
}

test('Compare: B runs, the table and ranking show where it differs, the overlay draws A only / B only / both, X flips, a decision is recorded', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const { models, weakened, db } = await compareLibrary('compare')

  const server = await serve(['--db', db, '--models-root', models])
  const page = await browser().newPage({ viewport: { width: 1500, height: 1000 } })
  try {
    await page.goto(server.url)
    await nameReviewer(page, 'e2e')
    await page.getByRole('tab', { name: 'Compare' }).click()
    await page.getByLabel('B: run or model set').selectOption(weakened)
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    const table = page.getByTestId('compare-table')
    await table.waitFor({ timeout: 120_000 })
    await page.getByTestId('compare-sides').filter({ hasText: 'B: run 2 · fixture-nhwc-weakened' }).waitFor()
    assert.match((await table.locator('tr[data-class="1"] td[data-diff]').textContent())!, /^-0\.025 \[-0\.0\d\d, [+-]0\.000\]$/)
    assert.match((await table.locator('tr.total td[data-diff]').textContent())!, /^-0\.013 \[/)
    const ranked = await page.getByTestId('compare-ranking').locator('li').allTextContents()
    assert.deepEqual(ranked.map((t) => t.trim().split(' ')[0]), ['coil-0000.png', 'coil-0006.png'])

    const overlay = page.getByTestId('compare-overlay')
    await overlay.waitFor()
    // coil-0000: block at rows 0…63, columns 0…199 (both sides); halo at columns 200…299 (B only).
    const pixel = (x: number, y: number): Promise<number[]> => overlay.evaluate((c, [px, py]) => Array.from((c as unknown as Canvas).getContext('2d').getImageData(px, py, 1, 1).data), [x, y])
    const near = (actual: number[], expected: number[]) => assert.ok(actual.every((v, k) => Math.abs(v - expected[k]) <= 2), `${actual} vs ${expected}`)
    near(await pixel(100, 30), [255, 255, 255, 150])
    near(await pixel(250, 30), [46, 134, 222, 150])
    near(await pixel(400, 30), [0, 0, 0, 0])
    await page.screenshot({ path: artifactPath('compare-01-diff.png') })

    await page.keyboard.press('x')
    await page.locator('canvas[data-view="a"]').waitFor()
    near(await pixel(250, 30), [0, 0, 0, 0])
    near(await pixel(100, 30), [230, 184, 0, 150]) // class 1's colour
    await page.screenshot({ path: artifactPath('compare-02-a.png') })
    await page.keyboard.press('x')
    await page.locator('canvas[data-view="b"]').waitFor()
    near(await pixel(250, 30), [230, 184, 0, 150])
    await page.screenshot({ path: artifactPath('compare-03-b.png') })

    await page.getByLabel("Why B becomes this source's model set").fill('smaller and no worse on the truth that matters')
    await page.getByRole('button', { name: "B becomes this source's model set" }).click()
    await page.getByTestId('compare-decisions').filter({ hasText: 'e2e: fixture-nhwc-weakened 1.0.0 (run 2, over run 1) — smaller and no worse' }).waitFor()
    await page.screenshot({ path: artifactPath('compare-04-decision.png'), fullPage: true })

    // Review with the comparison: A's run over the images where A and B disagree, most first, and the
    // overlay on the strip viewer, blended over the image's known greys at the default opacity.
    await page.getByRole('button', { name: 'Open in Review' }).click()
    const indicator = page.getByTestId('review-comparison')
    await indicator.filter({ hasText: 'B: run 2 · fixture-nhwc-weakened' }).waitFor()
    await waitForComparison(page, 'diff')
    assert.deepEqual(await reviewQueueNames(page), ['coil-0000.png', 'coil-0006.png'])
    await expectShown(page, 100, 30, blend(240, [255, 255, 255])) // both
    await expectShown(page, 250, 30, blend(120, [46, 134, 222])) // B only
    await expectShown(page, 400, 30, [100, 100, 100]) // neither
    await page.screenshot({ path: artifactPath('compare-05-review-diff.png') })

    await page.keyboard.press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.filter({ hasText: "A's masks, B's masks, the difference" }).waitFor()
    assert.match((await sheet.textContent())!, /X\s*comparison/)
    await page.keyboard.press('Escape')
    await sheet.waitFor({ state: 'detached' })
    await page.keyboard.press('x')
    await waitForComparison(page, 'a')
    await indicator.filter({ hasText: "showing A's masks" }).waitFor()
    await expectShown(page, 250, 30, [120, 120, 120])
    await expectShown(page, 100, 30, blend(240, [230, 184, 0])) // class 1's colour
    await page.keyboard.press('x')
    await waitForComparison(page, 'b')
    await expectShown(page, 250, 30, blend(120, [230, 184, 0]))
    await page.keyboard.press('x')
    await waitForComparison(page, 'diff')
    await expectShown(page, 250, 30, blend(120, [46, 134, 222]))
    // With the brush chosen, a drag over the compared strip pans: nothing is painted unseen.
    await page.keyboard.press('b')
    const box = (await page.getByTestId('strip-viewer').locator('canvas').boundingBox())!
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 })
    await page.mouse.up()
    await indicator.filter({ hasText: 'painting is off while comparing' }).waitFor()

    await page.getByRole('button', { name: 'Leave comparison' }).click()
    await indicator.waitFor({ state: 'detached' })
    await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { queue: unknown[] } }).coilscopeReview.queue.length === 8)

    await page.getByRole('button', { name: 'Shortcuts' }).click()
    await page.getByRole('dialog').filter({ hasText: 'Library, Review, Export, Compare' }).getByText('Ctrl+1 / 2 / 3 / 4').waitFor()
    await page.getByRole('button', { name: 'Close' }).click()
    // The sides the other way round (Ctrl+4 shows Compare): the halo is now A's alone.
    await page.keyboard.press('Control+4')
    await page.getByLabel('A: run or model set').selectOption('2')
    await page.getByLabel('B: run or model set').selectOption('1')
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await page.getByTestId('compare-sides').filter({ hasText: 'A: run 2 · fixture-nhwc-weakened' }).waitFor()
    await page.getByRole('button', { name: 'Open in Review' }).click()
    await indicator.filter({ hasText: 'A: run 2 · fixture-nhwc-weakened' }).waitFor()
    await waitForComparison(page, 'diff')
    await expectShown(page, 250, 30, blend(120, [230, 126, 34])) // A only
    await expectShown(page, 100, 30, blend(240, [255, 255, 255]))
    await page.screenshot({ path: artifactPath('compare-06-review-a-only.png') })
  } finally {
    await page.close()
    await server.stop()
  }
  const store = openStore(db)
  try {
    const [decision] = store.sourceModels.history(1)
    assert.equal(decision.author, 'e2e')
    assert.equal(decision.runId, 2)
    assert.equal(decision.comparedRunId, 1)
    assert.equal(store.modelSets.get(decision.modelSetId)!.manifestId, 'fixture-nhwc-weakened')
  } finally {
    store.close()
  }
  const database = new Database(db, { readonly: true, fileMustExist: true })
  try {
    const painted = database.prepare("SELECT count(*) FROM masks WHERE origin = 'human'").pluck().get()
    assert.equal(painted, 0, 'a drag while comparing painted nothing')
  } finally {
    database.close()
  }
})
