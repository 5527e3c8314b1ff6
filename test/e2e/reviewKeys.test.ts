// The Review screen and the Library in Debian's Chromium against `coilscope serve`, for what a shift
// of keyboard work needs: keys go where the focus is (sliders, tabs, the image list), the review
// state survives leaving the screen and a reload, the panels fit a laptop window, paths read as
// typed, Revert to model can be undone, and the reviewer's name is asked for and recorded.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { openStore } from '../../src-main/store/index.ts'
import { browserUnavailable, inspectedLibrary, launchBrowser, reviewerPage, serve, showReview, type Served } from './harness.ts'

const skip = browserUnavailable()
let browser: Browser
let server: Served
let dbPath: string
let folder: string

before(async () => {
  if (skip) return
  const library = await inspectedLibrary('keys', { folder: 'line3/coils', count: 40, seed: 5, defectRate: 0.5 })
  ;({ dbPath, folder } = library)
  browser = await launchBrowser()
  server = await serve(['--db', dbPath, '--models-root', library.models.root])
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

type Snapshot = { imageId: number; position: number; lower: number[]; rles: string[]; canUndo: boolean; tool: string }

function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const review = (globalThis as unknown as { coilscopeReview: any }).coilscopeReview
    return {
      imageId: review.view?.imageId ?? -1,
      position: review.position,
      lower: [...(review.profile?.lower ?? [])],
      rles: review.displayedRles(),
      canUndo: review.canUndo,
      tool: review.tool,
    }
  })
}

const activeElement = (page: Page) =>
  page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { tagName: string; id: string; getAttribute(n: string): string | null } | null } }).document.activeElement
    return el ? { tag: el.tagName, id: el.id, role: el.getAttribute('role') } : null
  })

/** A fresh page with the reviewer already named (the name prompt has its own test). */
const newPage = (viewport = { width: 1366, height: 768 }) => reviewerPage(browser, server, 'E2E Reviewer', viewport)

async function paintStroke(page: Page, classKey: string): Promise<void> {
  await page.getByTestId('strip-viewer').locator('canvas').focus()
  await page.keyboard.press(classKey)
  await page.keyboard.press('b')
  const box = (await page.getByTestId('strip-viewer').locator('canvas').boundingBox())!
  const y = box.y + box.height / 2
  await page.mouse.move(box.x + 200, y)
  await page.mouse.down()
  for (let x = 200; x <= 400; x += 20) await page.mouse.move(box.x + x, y)
  await page.mouse.up()
  await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { canUndo: boolean } }).coilscopeReview.canUndo)
}

test('a focused threshold slider takes ← and → (the image stays)', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    await showReview(page)
    const before = await snapshot(page)
    await page.getByTestId('slider-lower-3').focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.waitForTimeout(200)
    const after = await snapshot(page)
    assert.equal(after.imageId, before.imageId, 'the image did not change')
    assert.ok(after.lower[2] > before.lower[2], `the slider moved (${before.lower[2]} → ${after.lower[2]})`)
    await page.keyboard.press('ArrowLeft')
    await page.waitForTimeout(200)
    assert.equal((await snapshot(page)).imageId, before.imageId)
  } finally {
    await page.close()
  }
})

test('a clicked screen tab hands the keys to its screen; a tab focused by keyboard keeps them from Review', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    await showReview(page)
    const first = await snapshot(page)
    assert.notEqual((await activeElement(page))?.role, 'tab', 'the clicked tab does not keep the focus')
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction((p) => (globalThis as unknown as { coilscopeReview: { position: number } }).coilscopeReview.position === p + 1, first.position)
    assert.equal(await page.getByRole('tab', { name: 'Review' }).getAttribute('aria-selected'), 'true', 'still on Review')

    // Focused from the keyboard, a tab keeps the tab keys and Review's keys are not taken by it.
    await page.locator('#tab-review').focus()
    await page.keyboard.press('a')
    await page.waitForTimeout(300)
    assert.equal(await page.getByTestId('review-status').innerText(), 'unreviewed', 'A on a focused tab does not accept the image')
  } finally {
    await page.close()
  }
})

test('the Library list keeps the focus after PgDn and End; ↑ and Home still move', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    const rows = page.locator('[role="row"][id^="image-row-"]')
    await rows.first().waitFor()
    await rows.first().click()
    await page.keyboard.press('End')
    await page.locator('#image-row-39[aria-selected="true"]').waitFor()
    assert.notEqual((await activeElement(page))?.tag, 'BODY', 'focus stays in the list after End')
    await page.keyboard.press('ArrowUp')
    await page.locator('#image-row-38[aria-selected="true"]').waitFor()
    await page.keyboard.press('Home')
    await page.locator('#image-row-0[aria-selected="true"]').waitFor()
    await page.keyboard.press('PageDown')
    await page.keyboard.press('PageDown')
    await page.keyboard.press('PageDown')
    assert.notEqual((await activeElement(page))?.tag, 'BODY', 'focus stays in the list after PgDn')
    await page.keyboard.press('Home')
    await page.locator('#image-row-0[aria-selected="true"]').waitFor()
  } finally {
    await page.close()
  }
})

test('leaving Review and coming back keeps the position and the moved thresholds; so does a reload', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    await showReview(page)
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight')
    // Position 3 and its image shown (the position moves first, the image when it has loaded).
    await page.waitForFunction(() => {
      const r = (globalThis as unknown as { coilscopeReview: { position: number; view: { imageId: number }; queue: { imageId: number }[] } }).coilscopeReview
      return r.position === 3 && r.view.imageId === r.queue[3].imageId
    })
    await page.getByTestId('slider-lower-3').fill('0.6')
    await page.keyboard.press('e')
    const before = await snapshot(page)
    await page.getByRole('tab', { name: 'Library' }).click()
    await page.getByRole('grid', { name: 'Images' }).waitFor()
    await showReview(page)
    await page.waitForTimeout(300)
    const back = await snapshot(page)
    assert.deepEqual([back.position, back.imageId, back.lower, back.tool], [before.position, before.imageId, before.lower, before.tool], 'Review came back as it was left')

    await page.reload()
    await showReview(page)
    await page.waitForFunction((id) => (globalThis as unknown as { coilscopeReview: { view: { imageId: number } } }).coilscopeReview.view.imageId === id, before.imageId)
    const reloaded = await snapshot(page)
    assert.deepEqual([reloaded.position, reloaded.lower, reloaded.tool], [before.position, before.lower, before.tool], 'a reload keeps them too')
  } finally {
    await page.close()
  }
})

test('the threshold panel fits its column at 1366×768 once a class is edited', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    await showReview(page)
    await paintStroke(page, '1')
    await page.locator('section[aria-label="Thresholds"] tr.human').waitFor()
    const overflow = await page.locator('aside.right').evaluate((aside) => {
      const column = aside.getBoundingClientRect()
      const panel = aside.querySelector('section[aria-label="Thresholds"]')!
      const outside = [...panel.querySelectorAll('button, input, output, select')].filter((el) => {
        const box = el.getBoundingClientRect()
        return box.width > 0 && (box.right > column.right + 0.5 || box.left < column.left - 0.5)
      })
      return { scroll: aside.scrollWidth - aside.clientWidth, outside: outside.map((el) => el.getAttribute('aria-label') ?? el.textContent) }
    })
    assert.deepEqual(overflow, { scroll: 0, outside: [] }, 'nothing in the panel is clipped')
    await page.keyboard.press('Control+z')
  } finally {
    await page.close()
  }
})

test('a folder path reads as typed: its leading slash first, no trailing one', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const page = await newPage({ width: 1920, height: 1080 })
  try {
    const path = page.getByRole('option', { name: /coils/ }).locator('[title]').filter({ hasText: folder })
    await path.waitFor()
    // Where the browser draws the first and the last character: "/" must be leftmost, "s" rightmost.
    const order = await path.evaluate((el) => {
      const doc = el.ownerDocument
      const walker = doc.createTreeWalker(el, 4 /* text nodes */)
      let text = walker.nextNode()
      while (text && !text.textContent!.includes('/')) text = walker.nextNode()
      if (!text) throw new Error('no path text')
      const at = (i: number) => {
        const range = doc.createRange()
        range.setStart(text!, i)
        range.setEnd(text!, i + 1)
        return range.getBoundingClientRect().left
      }
      const length = text!.textContent!.length
      return { first: at(0), second: at(1), last: at(length - 1) }
    })
    assert.ok(order.first < order.second && order.second < order.last, `the leading slash is drawn first (${JSON.stringify(order)})`)
  } finally {
    await page.close()
  }
})

test('Revert to model is one more undoable step: Ctrl+Z brings the edit back', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    await showReview(page)
    const model = await snapshot(page)
    await paintStroke(page, '2')
    const painted = await snapshot(page)
    assert.notEqual(painted.rles[1], model.rles[1])
    await page.getByRole('button', { name: 'Revert to model' }).click()
    await page.waitForFunction((rle) => (globalThis as unknown as { coilscopeReview: { displayedRles(): string[] } }).coilscopeReview.displayedRles()[1] === rle, model.rles[1])
    assert.ok((await snapshot(page)).canUndo, 'the revert can be undone')
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await page.keyboard.press('Control+z')
    await page.waitForFunction((rle) => (globalThis as unknown as { coilscopeReview: { displayedRles(): string[] } }).coilscopeReview.displayedRles()[1] === rle, painted.rles[1])
    const store = openStore(dbPath)
    try {
      const human = store.masks.current(painted.imageId, 2)
      assert.equal(human?.origin, 'human', 'the store has the edit back too')
    } finally {
      store.close()
    }
  } finally {
    await page.close()
  }
})

test('the reviewer is asked for a name once, can change it, and every review and edit carries it', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
  try {
    await page.goto(server.url)
    await page.evaluate(() => (globalThis as unknown as { coilscope: { setSettings(p: object): Promise<unknown> } }).coilscope.setSettings({ authorName: '' }))
    await page.reload()
    await page.getByRole('tab', { name: 'Review' }).click()
    const dialog = page.getByRole('dialog', { name: 'Who is reviewing?' })
    await dialog.waitFor()
    await dialog.getByLabel('Your name').fill('Dana Ortiz')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview?: { view: unknown } }).coilscopeReview?.view)
    await paintStroke(page, '4')
    const first = await snapshot(page)
    await page.keyboard.press('a')
    // Accept moves on to the next image (the preference is on by default).
    await page.waitForFunction((id) => (globalThis as unknown as { coilscopeReview: { view: { imageId: number } } }).coilscopeReview.view.imageId !== id, first.imageId)

    // Changed from the top bar: the next review carries the new name; a reload does not ask again.
    await page.getByRole('button', { name: /Reviewer: Dana Ortiz/ }).click()
    await dialog.getByLabel('Your name').fill('Lee Park')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await page.reload()
    await showReview(page)
    assert.equal(await dialog.count(), 0, 'a named reviewer is not asked again')
    const second = await snapshot(page)
    assert.notEqual(second.imageId, first.imageId, 'the reload came back to the image after the accepted one')
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await page.keyboard.press('f')
    await page.waitForFunction((id) => (globalThis as unknown as { coilscopeReview: { view: { imageId: number } } }).coilscopeReview.view.imageId !== id, second.imageId)

    const store = openStore(dbPath)
    try {
      assert.equal(store.reviews.current(first.imageId)?.author, 'Dana Ortiz')
      assert.deepEqual([...new Set(store.edits.listForImage(first.imageId).filter((e) => e.classId === 4).map((e) => e.author))], ['Dana Ortiz'], 'the class-4 stroke of this test')
      assert.equal(store.reviews.current(second.imageId)?.author, 'Lee Park')
    } finally {
      store.close()
    }
  } finally {
    await page.close()
  }
})

test('the min-area slider reaches any whole number (the manifest\'s 316); each threshold step changes the number shown', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    await showReview(page)
    const minArea = page.getByTestId('slider-minarea-3')
    for (const value of ['316', '317', '37']) {
      await minArea.fill(value)
      assert.equal(await minArea.inputValue(), value, `the slider holds ${value}`)
    }
    const lower = page.getByTestId('slider-lower-1')
    const shown = lower.locator('xpath=following-sibling::output')
    await lower.focus()
    let before = await shown.innerText()
    for (let k = 0; k < 4; k++) {
      await page.keyboard.press('ArrowRight')
      const now = await shown.innerText()
      assert.notEqual(now, before, `step ${k + 1} changed the number shown`)
      before = now
    }
  } finally {
    await page.close()
  }
})

test('a fill on open steel asks first: refused, nothing changes; agreed, the class is filled', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const page = await newPage()
  try {
    await showReview(page)
    const before = await snapshot(page)
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await page.keyboard.press('3') // class 3: no other test here edits it
    await page.keyboard.press('g')
    const box = (await page.getByTestId('strip-viewer').locator('canvas').boundingBox())!
    const asked: string[] = []
    page.once('dialog', (d) => void (asked.push(d.message()), d.dismiss()))
    await page.mouse.click(box.x + 20, box.y + box.height / 2)
    await page.waitForTimeout(500)
    assert.equal(asked.length, 1, 'the fill asked first')
    assert.match(asked[0], /Fill [\d,]+ px of class 3/)
    assert.deepEqual((await snapshot(page)).rles, before.rles, 'refused: nothing changed')
    assert.equal(await page.evaluate(() => (globalThis as unknown as { coilscopeReview: { humanMasks: Map<number, unknown> } }).coilscopeReview.humanMasks.has(3)), false)

    page.once('dialog', (d) => void d.accept())
    await page.mouse.click(box.x + 20, box.y + box.height / 2)
    await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { canUndo: boolean } }).coilscopeReview.canUndo)
    const filled = await page.evaluate(() => (globalThis as unknown as { coilscopeReview: { displayMasks: Uint8Array[] } }).coilscopeReview.displayMasks[2].reduce((a, b) => a + b, 0))
    assert.ok(filled > 25_600, `agreed: class 3 filled (${filled} px)`)
    await page.keyboard.press('Control+z')
    await page.waitForFunction(() => !(globalThis as unknown as { coilscopeReview: { canUndo: boolean } }).coilscopeReview.canUndo)
  } finally {
    await page.close()
  }
})
