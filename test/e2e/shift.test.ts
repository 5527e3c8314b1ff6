// A shift in miniature, in Debian's Chromium against `coilscope serve` and the real models: 40 coils
// triaged with the keyboard alone — the reviewer named once, a batch accept of the gated-out images
// from the contact sheet, accept-and-advance, a flag with a typed note, a reject, a brush fix with
// an undo (the stroke itself is the mouse's), screens switched and the page reloaded in between —
// and then every decision, edit and the reviewer's name read back from the SQLite file. Also the
// screenshots of every screen in both themes at 1366×768 (artifacts/e2e/shift-*.png).
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { openStore } from '../../src-main/store/index.ts'
import { artifactPath, browserUnavailable, inspectedLibrary, launchBrowser, serve, type Served } from './harness.ts'

const skip = browserUnavailable()
const REVIEWER = 'Kari Lindqvist'
const NOTE = 'Edge crack near the weld, check on the line'
let browser: Browser
let server: Served
let dbPath: string

before(async () => {
  if (skip) return
  const library = await inspectedLibrary('shift', { folder: 'coil-4711', count: 40, seed: 5, defectRate: 0.5 })
  dbPath = library.dbPath
  browser = await launchBrowser()
  server = await serve(['--db', dbPath, '--models-root', library.models.root])
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

type State = { imageId: number; position: number; status: string; unreviewed: number; relativePath: string }

function state(page: Page): Promise<State> {
  return page.evaluate(() => {
    const r = (globalThis as unknown as { coilscopeReview: any }).coilscopeReview
    return {
      imageId: r.view?.imageId ?? -1,
      position: r.position,
      status: r.status,
      unreviewed: r.queue.filter((q: { status: string }) => q.status === 'unreviewed').length,
      relativePath: r.view?.relativePath ?? '',
    }
  })
}

/** Presses a key that moves Review to another image and waits until it shows. */
async function pressAndMove(page: Page, key: string): Promise<State> {
  const before = await state(page)
  await page.keyboard.press(key)
  await page.waitForFunction((id) => (globalThis as unknown as { coilscopeReview: { view: { imageId: number } } }).coilscopeReview.view.imageId !== id, before.imageId)
  return state(page)
}

/** Both themes as the shell sets them (data-theme on <html>), without moving the focus or closing a dialog. */
async function shootBothThemes(page: Page, name: string): Promise<void> {
  const setTheme = (theme: string) => page.evaluate((t) => ((globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme = t), theme)
  const original = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme ?? 'dark')
  await page.locator('img').evaluateAll(async (images) => {
    const loaded = Promise.all(images.map((img) => (img.complete ? null : new Promise((done) => ['load', 'error'].forEach((e) => img.addEventListener(e, done, { once: true }))))))
    await Promise.race([loaded, new Promise((done) => setTimeout(done, 3000))]) // lazy images off screen never load
  })
  for (const theme of ['dark', 'light']) {
    await setTheme(theme)
    await page.waitForTimeout(150)
    await page.screenshot({ path: artifactPath(`shift-${name}-${theme}.png`) })
  }
  await setTheme(original)
}

test('a shift in miniature: 40 coils triaged by keyboard, every decision in the database', { skip: skip ?? false, timeout: 600_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(e.message))
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  try {
    await page.goto(server.url)
    await page.getByRole('grid', { name: 'Images' }).waitFor()
    await shootBothThemes(page, 'library')

    // Review by Ctrl+2; the name is asked for once.
    await page.keyboard.press('Control+2')
    const nameDialog = page.getByRole('dialog', { name: 'Who is reviewing?' })
    await nameDialog.waitFor()
    await shootBothThemes(page, 'reviewer-dialog')
    await page.keyboard.type(REVIEWER)
    await page.keyboard.press('Enter')
    await nameDialog.waitFor({ state: 'hidden' })
    await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { view: unknown } }).coilscopeReview.view)
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await shootBothThemes(page, 'review')
    const start = await state(page)
    assert.equal(start.unreviewed, 40)

    // 1. The contact sheet (K) of the gated-out images; Enter accepts them all.
    await page.keyboard.press('k')
    const sheet = page.getByRole('dialog', { name: 'Batch accept' })
    await sheet.waitFor()
    await sheet.locator('li').first().waitFor() // the matching images are read from the host
    const gatedOut = await sheet.locator('li').count()
    assert.ok(gatedOut >= 5, `the sheet shows the gated-out images (${gatedOut})`)
    await shootBothThemes(page, 'contact-sheet')
    await page.keyboard.press('Enter')
    await sheet.waitFor({ state: 'hidden' })
    await page.waitForFunction((n) => (globalThis as unknown as { coilscopeReview: { queue: { status: string }[] } }).coilscopeReview.queue.filter((q) => q.status === 'unreviewed').length === n, 40 - gatedOut)
    await page.getByTestId('strip-viewer').locator('canvas').focus()

    // 2. The first image still to review (N), then accept-and-advance three times.
    const decided = new Map<number, string>()
    let now = (await state(page)).status === 'unreviewed' ? await state(page) : await pressAndMove(page, 'n')
    for (let k = 0; k < 3; k++) {
      decided.set(now.imageId, 'accepted')
      now = await pressAndMove(page, 'a')
    }

    // 3. A flag with a typed note: M, the note, Enter.
    await page.keyboard.press('m')
    await page.keyboard.type(NOTE)
    const flaggedId = now.imageId
    await page.keyboard.press('Enter')
    await page.waitForFunction((id) => (globalThis as unknown as { coilscopeReview: { view: { imageId: number } } }).coilscopeReview.view.imageId !== id, flaggedId)
    decided.set(flaggedId, 'flagged')
    now = await state(page)

    // 4. A reject.
    decided.set(now.imageId, 'rejected')
    now = await pressAndMove(page, 'r')

    // 5. Switch screens (Ctrl+1, Ctrl+3, Ctrl+2): Review is where it was.
    await page.keyboard.press('Control+1')
    await page.getByRole('grid', { name: 'Images' }).waitFor()
    await page.keyboard.press('Control+3')
    await page.locator('#screen-export').waitFor()
    await shootBothThemes(page, 'export')
    await page.keyboard.press('Control+2')
    await page.getByTestId('strip-viewer').waitFor()
    assert.equal((await state(page)).imageId, now.imageId, 'Review came back to the same image')

    // 6. A brush fix on class 3: B, a stroke, Ctrl+Z, the stroke again, then accept.
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await page.keyboard.press('3')
    await page.keyboard.press('b')
    const box = (await page.getByTestId('strip-viewer').locator('canvas').boundingBox())!
    const stroke = async (y: number) => {
      await page.mouse.move(box.x + 150, box.y + y)
      await page.mouse.down()
      for (let x = 150; x <= 350; x += 25) await page.mouse.move(box.x + x, box.y + y)
      await page.mouse.up()
      await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { canUndo: boolean } }).coilscopeReview.canUndo)
    }
    const fixedId = now.imageId
    await stroke(box.height / 2)
    await page.keyboard.press('Control+z')
    await page.waitForFunction(() => !(globalThis as unknown as { coilscopeReview: { canUndo: boolean } }).coilscopeReview.canUndo)
    await stroke(box.height / 2 + 10)
    await page.keyboard.press('p') // back to pan: no stray paint
    await shootBothThemes(page, 'review-edited')
    decided.set(fixedId, 'accepted')
    now = await pressAndMove(page, 'a')

    // 7. Reload: the same place; then accept the rest, one key per image.
    await page.reload()
    await page.waitForFunction((id) => (globalThis as unknown as { coilscopeReview: { view?: { imageId: number } } }).coilscopeReview.view?.imageId === id, now.imageId)
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await page.keyboard.press('?')
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
    await shootBothThemes(page, 'shortcuts')
    await page.keyboard.press('Escape')
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    for (;;) {
      const s = await state(page)
      if (s.unreviewed === 0) break
      decided.set(s.imageId, 'accepted')
      if (s.unreviewed === 1) {
        await page.keyboard.press('a')
        await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { status: string } }).coilscopeReview.status === 'accepted')
        break
      }
      await pressAndMove(page, 'a')
    }
    await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview: { queue: { status: string }[] } }).coilscopeReview.queue.every((q) => q.status !== 'unreviewed'))
    assert.deepEqual(problems, [], 'no errors in the page')

    // 8. The database has it all: 40 decisions, the note, the edits, every one by the reviewer.
    const store = openStore(dbPath)
    try {
      const source = store.sources.list()[0]
      const images = store.images.listBySource(source.id)
      assert.equal(images.length, 40)
      const reviews = images.map((i) => store.reviews.current(i.id))
      assert.ok(reviews.every((r) => r !== undefined), 'every image has a decision')
      assert.deepEqual([...new Set(reviews.map((r) => r!.author))], [REVIEWER], 'every decision is the reviewer\'s')
      for (const [imageId, status] of decided) assert.equal(store.reviews.current(imageId)!.status, status, `image ${imageId}`)
      const counts = { accepted: 0, rejected: 0, flagged: 0 }
      for (const r of reviews) counts[r!.status as keyof typeof counts]++
      assert.deepEqual(counts, { accepted: 38, rejected: 1, flagged: 1 })
      assert.equal(store.reviews.current(flaggedId)!.note, NOTE)
      const edits = store.edits.listForImage(fixedId)
      assert.deepEqual(edits.map((e) => e.tool), ['brush', 'revert-to-model', 'brush'], 'the stroke, its undo and the fix')
      assert.ok(edits.every((e) => e.author === REVIEWER && e.classId === 3))
      assert.equal(store.masks.current(fixedId, 3)!.origin, 'human', 'the fix stands')
    } finally {
      store.close()
    }
  } finally {
    await page.close()
  }
})
