// Review while comparing, in Debian's Chromium against `coilscope serve`: the defects list and the
// minimap list the masks the strip viewer draws (A's, B's, or both sides in the difference), each
// saying whose they are, and a run's own again once the comparison is left. Both sides are runs
// of the compare fixture made by the CLI: on coil-0000, A (the full set) finds the 200 × 64 block of
// class 1 and B (the set without its x/2 member) the block and its 100 px halo, 300 × 64.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { artifactPath, browserUnavailable, coilscope, compareLibrary, nameReviewer, serve, sharedBrowser } from './harness.ts'

const skip = browserUnavailable()
const browser = sharedBrowser(skip)

type ReviewHook = { view: { imageId: number } | null; comparison: { view: string; shownImageId: number | null } }

async function showComparisonView(page: Page, view: string): Promise<void> {
  await page.waitForFunction((wanted) => {
    const review = (globalThis as unknown as { coilscopeReview: ReviewHook }).coilscopeReview
    return review.comparison.view === wanted && review.comparison.shownImageId === review.view?.imageId
  }, view)
}

/** Waits until the defects list says whose masks it lists (`whose`) and lists `entries` (the text of each). */
async function expectDefects(page: Page, whose: RegExp, entries: readonly string[]): Promise<void> {
  const list = page.getByRole('region', { name: 'Defects in this image' })
  let shown = { whose: '', entries: [] as string[] }
  for (let tries = 0; tries < 50; tries++) {
    if (tries > 0) await page.waitForTimeout(100)
    shown = { whose: (await list.getByTestId('defects-whose').textContent())!.trim(), entries: (await list.locator('li button').allTextContents()).map((t) => t.trim()) }
    if (whose.test(shown.whose) && shown.entries.join('|') === entries.join('|')) return
  }
  assert.deepEqual(shown, { whose: `matching ${whose}`, entries })
}

/** The minimap's caption and its outlined regions' boxes (left, width) in minimap pixels. */
async function minimap(page: Page): Promise<{ whose: string; boxes: { left: number; width: number }[] }> {
  const map = page.getByTestId('minimap')
  const whose = (await page.getByTestId('minimap-whose').textContent())!.trim()
  const boxes = await map.locator('.region').evaluateAll((spans) => spans.map((s) => ({ left: parseFloat((s as unknown as { style: { left: string } }).style.left), width: parseFloat((s as unknown as { style: { width: string } }).style.width) })))
  return { whose, boxes }
}

test('Review while comparing: the defects list and the minimap show the masks the viewer draws, and say whose', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const { work, folder, models, weakened, db } = await compareLibrary('review-compare')
  await coilscope(['inspect', folder, '--db', db, '--models', weakened, '--provider', 'cpu', '--out', join(work, 'b.csv')])

  const server = await serve(['--db', db, '--models-root', models])
  const page = await browser().newPage({ viewport: { width: 1500, height: 1000 } })
  try {
    await page.goto(server.url)
    await nameReviewer(page, 'e2e')
    await page.getByRole('tab', { name: 'Compare' }).click()
    await page.getByLabel('A: run or model set').selectOption('1')
    await page.getByLabel('B: run or model set').selectOption('2')
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await page.getByTestId('compare-sides').filter({ hasText: 'B: run 2 · fixture-nhwc-weakened' }).waitFor()
    await page.getByRole('button', { name: 'Open in Review' }).click()

    // coil-0000 first (it disagrees most). The difference: the union of A and B, 300 px wide.
    await showComparisonView(page, 'diff')
    await expectDefects(page, /A and B: run 1 .* and run 2 · fixture-nhwc-weakened/, ['class 1 · 19,200 px · x 0–299 (A 12,800 · B 19,200)'])
    const diff = await minimap(page)
    assert.match(diff.whose, /A and B/)
    assert.equal(diff.boxes.length, 1)
    await page.screenshot({ path: artifactPath('review-compare-01-diff.png') })

    await page.keyboard.press('x')
    await showComparisonView(page, 'a')
    await expectDefects(page, /^A: run 1/, ['class 1 · 12,800 px · x 0–199'])
    const a = await minimap(page)
    assert.match(a.whose, /^Outlined: A: run 1/)

    await page.keyboard.press('x')
    await showComparisonView(page, 'b')
    await expectDefects(page, /^B: run 2 · fixture-nhwc-weakened/, ['class 1 · 19,200 px · x 0–299'])
    const b = await minimap(page)
    assert.match(b.whose, /^Outlined: B: run 2 · fixture-nhwc-weakened/)
    assert.equal(b.boxes.length, 1)
    // The same scale: B's box is half as wide again as A's, from the same left edge.
    assert.equal(b.boxes[0].left, a.boxes[0].left)
    assert.ok(Math.abs(b.boxes[0].width - a.boxes[0].width * 1.5) < 0.01, `minimap boxes ${a.boxes[0].width} (A) and ${b.boxes[0].width} (B)`)
    await page.screenshot({ path: artifactPath('review-compare-02-b.png') })

    // Left, Review shows the source's latest run (run 2) with its own masks, the sliders' and edits'.
    await page.getByRole('button', { name: 'Leave comparison' }).click()
    await page.getByTestId('review-comparison').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: /coil-0000\.png/ }).click()
    await expectDefects(page, /^run 2 · this run's masks/, ['class 1 · 19,200 px · x 0–299'])
    assert.match((await minimap(page)).whose, /^Outlined: run 2 · /)
  } finally {
    await page.close()
    await server.stop()
  }
})
