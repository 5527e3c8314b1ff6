// The Review screen in Debian's Chromium against `coilscope serve`: a threshold moved changes the
// mask area by exactly what the stored map says; a stroke, undo, redo and a reload; accepting with
// the keyboard alone; and the reviewed CSV export equal, pixel for pixel, to what the screen held.
// Also the in-browser benchmark of re-render times for slider moves and brush strokes.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { thresholdToImageMasks } from '../../src-shared/postprocess.ts'
import { parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import { openStore } from '../../src-main/store/index.ts'
import { tempDir, writeBlockImages } from '../helpers/images.ts'
import { artifactPath, browserUnavailable, coilscope, inspectedLibrary, launchBrowser, modelSetForTests, nameReviewer, serve, showReview, type Served } from './harness.ts'

const skip = browserUnavailable()
let browser: Browser
let server: Served
let dbPath: string
let folder: string

before(async () => {
  if (skip) return
  const library = await inspectedLibrary('review', { folder: 'coils', count: 6, seed: 11, defectRate: 1 }, (folder) => writeBlockImages(folder, 4))
  ;({ dbPath, folder } = library)
  browser = await launchBrowser()
  server = await serve(['--db', dbPath, '--models-root', library.models.root])
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

type ScreenState = { imageId: number; predictionId: number; profile: ThresholdProfile; areas: number[]; origins: string[]; rles: string[]; status: string }

/** The review state as the page holds it. */
function screenState(page: Page): Promise<ScreenState> {
  return page.evaluate(() => {
    const review = (globalThis as unknown as { coilscopeReview: any }).coilscopeReview
    const view = review.view
    return {
      imageId: view.imageId,
      predictionId: view.predictionId,
      profile: JSON.parse(JSON.stringify(review.profile)),
      areas: review.displayMasks.map((m: Uint8Array) => m.reduce((a: number, b: number) => a + b, 0)),
      origins: view.classes.map((c: { classId: number; origin: string }) => (review.humanMasks.has(c.classId) ? 'human' : c.origin)),
      rles: review.displayedRles(),
      status: review.status,
    }
  })
}

async function openReview(page: Page): Promise<void> {
  await page.goto(server.url)
  await nameReviewer(page, 'j.novak') // named once, so Review does not ask who is reviewing
  await showReview(page)
}

/** Goes to the queue position of a block image whose class `classId` has a mask. */
async function goToImageWithClass(page: Page, classId: number): Promise<ScreenState> {
  const count = await page.locator('section[aria-label="Review queue"] li').count()
  for (let i = 0; i < count; i++) {
    await page.locator('section[aria-label="Review queue"] li').nth(i).getByRole('button').click()
    await page.waitForTimeout(150)
    const state = await screenState(page)
    if (state.areas[classId - 1] > 0) return state
  }
  throw new Error(`no image shows class ${classId}`)
}

test('review: thresholds, a stroke with undo/redo and reload, keyboard triage, export equals the screen', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  const problems: string[] = []
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))
  try {
    await openReview(page)
    // Where the inspector decides, Review says what the model set was trained on when that was synthetic images only.
    const models = modelSetForTests()
    const provenance = JSON.parse(readFileSync(join(models.dir, 'manifest.json'), 'utf8')).provenance
    if (provenance?.synthetic) assert.match(await page.getByTestId('review-synthetic').getAttribute('title', { timeout: 30_000 }) ?? '', /trained on synthetic images only \(synthetic coils/)
    else assert.equal(await page.getByTestId('review-synthetic').count(), 0)
    const before = await goToImageWithClass(page, 3)
    await page.screenshot({ path: artifactPath('review-01-opened.png') })

    // 1. Move class 3's lower threshold; the area equals thresholding the stored map with it.
    const store = openStore(dbPath)
    const maps = store.predictions.readProbMaps(before.predictionId)!
    const image = store.images.get(before.imageId)!
    store.close()
    for (const lower of [0.2, 0.6, 0.3]) {
      await page.getByTestId('slider-lower-3').fill(String(lower))
      const state = await screenState(page)
      const expected = thresholdToImageMasks(maps.mapsU8, maps, { height: image.height!, width: image.width! }, state.profile)
      // The slider moves in steps of 1/255, the resolution of the stored maps.
      assert.ok(Math.abs(state.profile.lower[2] - lower) <= 0.5 / 255, `lower is ${state.profile.lower[2]}`)
      assert.deepEqual(state.areas, expected.map((m) => m.areaPx), `areas at lower ${lower}`)
    }
    await page.screenshot({ path: artifactPath('review-02-threshold-moved.png') })

    // 2. Paint a stroke of class 1 (the model shows none here), undo, redo, reload.
    await page.keyboard.press('1')
    await page.keyboard.press('b')
    const box = (await page.getByTestId('strip-viewer').locator('canvas').boundingBox())!
    const y = box.y + box.height / 2
    await page.mouse.move(box.x + 300, y)
    await page.mouse.down()
    for (let x = 300; x <= 500; x += 20) await page.mouse.move(box.x + x, y + (x % 40) / 4)
    await page.mouse.up()
    await page.waitForFunction(() => !(globalThis as unknown as { coilscopeReview: { canRedo: boolean; canUndo: boolean } }).coilscopeReview.canRedo)
    const painted = await screenState(page)
    assert.equal(painted.origins[0], 'human')
    assert.ok(painted.areas[0] > before.areas[0] + 500, `the stroke painted class 1 (${painted.areas[0]} px)`)
    await page.screenshot({ path: artifactPath('review-03-stroke.png') })
    await page.keyboard.press('Control+z')
    await page.waitForTimeout(300)
    const undone = await screenState(page)
    assert.equal(undone.origins[0], 'model', 'undoing the first stroke hands class 1 back to the model')
    assert.equal(undone.rles[0], before.rles[0])
    await page.keyboard.press('Control+Shift+z')
    await page.waitForTimeout(300)
    assert.equal((await screenState(page)).rles[0], painted.rles[0])

    // The sources list refreshing (here: the folder opened again) keeps the sliders and the history.
    await page.evaluate((path) => (globalThis as unknown as { coilscope: { openFolder(r: { path: string }): Promise<unknown> } }).coilscope.openFolder({ path }), folder)
    await page.waitForTimeout(1500)
    const refreshed = await screenState(page)
    assert.deepEqual([refreshed.imageId, refreshed.profile, refreshed.rles], [painted.imageId, painted.profile, painted.rles])
    assert.ok(await page.evaluate(() => (globalThis as unknown as { coilscopeReview: { canUndo: boolean } }).coilscopeReview.canUndo), 'the undo history survived')
    await page.reload()
    await openReview(page)
    await page.locator('section[aria-label="Review queue"] li').filter({ hasText: image.relativePath }).getByRole('button').click()
    await page.waitForTimeout(300)
    const reloaded = await screenState(page)
    assert.equal(reloaded.imageId, before.imageId)
    assert.equal(reloaded.origins[0], 'human')
    assert.equal(reloaded.rles[0], painted.rles[0], 'the stroke survived the reload')

    // 3. Accept with the keyboard alone (staying on the image: advancing is a preference).
    await page.getByRole('checkbox', { name: 'Advance after triage' }).uncheck()
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await page.evaluate(() => Object.assign(globalThis, { masksBeforeTriage: (globalThis as unknown as { coilscopeReview: { modelMasks: unknown } }).coilscopeReview.modelMasks }))
    await page.keyboard.press('a')
    await page.getByTestId('review-status').filter({ hasText: 'accepted' }).waitFor()
    const isSameMasks = await page.evaluate(() => {
      const g = globalThis as unknown as { coilscopeReview: { modelMasks: unknown }; masksBeforeTriage: unknown }
      return g.coilscopeReview.modelMasks === g.masksBeforeTriage
    })
    assert.ok(isSameMasks, 'triage does not re-threshold the masks')
    await page.screenshot({ path: artifactPath('review-04-accepted.png') })
    const check = openStore(dbPath)
    assert.equal(check.reviews.current(before.imageId)!.status, 'accepted')
    assert.deepEqual(check.edits.listForImage(before.imageId).map((e) => e.tool), ['brush', 'revert-to-model', 'redo'])
    check.close()

    // 4. Export the reviewed masks (the thresholds as the screen has them, saved as a profile).
    await page.getByPlaceholder('Profile name').fill('e2e lower')
    await page.getByRole('button', { name: 'Save & apply' }).click()
    await page.waitForTimeout(300)
    const shown = await screenState(page)
    const csv = join(tempDir(), 'reviewed.csv')
    await coilscope(['export', '--db', dbPath, '--out', csv, '--masks', 'reviewed', '--format', 'kaggle2019'])
    const table = parseSeverstalCsv(readFileSync(csv, 'utf8'), csv)
    const exported = [1, 2, 3, 4].map((classId) => table.masks.find((m) => m.imageId === image.relativePath && m.classId === classId)?.rle ?? '')
    assert.deepEqual(exported, shown.rles, 'the export is the screen, pixel for pixel')
    assert.deepEqual(problems, [], 'no console errors')
  } finally {
    await page.close()
  }
})

test('benchmark: re-render time of slider moves and brush strokes in the browser', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  try {
    await openReview(page)
    await goToImageWithClass(page, 3)
    const sliders = await page.evaluate(async () => {
      const g = globalThis as unknown as { coilscopeReview: any; coilscopeRenderTimes: () => number[]; requestAnimationFrame: (f: () => void) => void }
      const frame = () => new Promise<void>((done) => g.requestAnimationFrame(() => done()))
      const before = g.coilscopeRenderTimes().length
      for (let k = 0; k < 60; k++) {
        g.coilscopeReview.setThreshold('lower', k % 4, 0.2 + (k % 30) / 60)
        await frame()
      }
      return g.coilscopeRenderTimes().slice(before)
    })
    const box = (await page.getByTestId('strip-viewer').locator('canvas').boundingBox())!
    const beforeStroke = await page.evaluate(() => (globalThis as unknown as { coilscopeRenderTimes: () => number[] }).coilscopeRenderTimes().length)
    await page.keyboard.press('b')
    await page.mouse.move(box.x + 100, box.y + box.height / 2)
    await page.mouse.down()
    for (let x = 100; x < 1100; x += 10) await page.mouse.move(box.x + x, box.y + box.height / 2)
    await page.mouse.up()
    const strokes = await page.evaluate((from) => (globalThis as unknown as { coilscopeRenderTimes: () => number[] }).coilscopeRenderTimes().slice(from), beforeStroke)
    const summary = (times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b)
      return { n: sorted.length, median: sorted[sorted.length >> 1], p90: sorted[Math.floor(sorted.length * 0.9)], max: sorted.at(-1)! }
    }
    const s = summary(sliders)
    const b = summary(strokes)
    process.stdout.write(`# review re-render, slider moves (4 classes, 1600×256): median ${s.median.toFixed(2)} ms, p90 ${s.p90.toFixed(2)} ms, max ${s.max.toFixed(2)} ms over ${s.n}\n`)
    process.stdout.write(`# review re-render, brush stroke segments: median ${b.median.toFixed(2)} ms, p90 ${b.p90.toFixed(2)} ms, max ${b.max.toFixed(2)} ms over ${b.n}\n`)
    assert.ok(s.n >= 50 && b.n >= 50, 'every move re-rendered')
  } finally {
    await page.close()
  }
})
