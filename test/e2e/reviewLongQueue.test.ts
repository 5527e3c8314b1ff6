// A queue longer than what the screen reads at once, in Debian's Chromium against `coilscope serve`:
// the list draws only the rows in view and reads their pages as they come into view, an image far
// down the queue is gone to from the list, and the next unreviewed image is found by the host
// across pages (from the end, back at the start).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { browserUnavailable, inspectedLibrary, launchBrowser, reviewerPage, serve, showReview, type Served } from './harness.ts'

const skip = browserUnavailable()
/** Three pages of the queue (100 each): the last one part full. */
const IMAGES = 230
let browser: Browser
let server: Served

before(async () => {
  if (skip) return
  const library = await inspectedLibrary('long', { folder: 'line', count: IMAGES, seed: 11, defectRate: 0.3 })
  browser = await launchBrowser()
  server = await serve(['--db', library.dbPath, '--models-root', library.models.root])
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

type Hook = { coilscopeReview: { view: { imageId: number; relativePath: string } | null; position: number; queueTotal: number } }
const reviewState = (page: Page) =>
  page.evaluate(() => {
    const r = (globalThis as unknown as Hook).coilscopeReview
    return { imageId: r.view?.imageId ?? null, path: r.view?.relativePath ?? null, position: r.position, total: r.queueTotal }
  })

test('a long queue: rows drawn in view only, an image far down gone to, the next unreviewed found across pages', { skip: skip ?? false }, async () => {
  const page = await reviewerPage(browser, server, 'E2E Reviewer')
  try {
    await showReview(page)
    const queue = page.locator('section[aria-label="Review queue"]')
    assert.equal((await reviewState(page)).total, IMAGES)
    assert.match(await queue.getByTestId('queue-count').innerText(), new RegExp(`^1 of ${IMAGES}$`))
    const drawn = await queue.locator('li').count()
    assert.ok(drawn > 5 && drawn < 80, `only the rows in view are drawn (${drawn} of ${IMAGES})`)

    // To the end of the list: its rows are read as they come into view; the last one is gone to.
    await queue.locator('.viewport').evaluate((el) => (el.scrollTop = el.scrollHeight))
    const lastRow = queue.locator(`li[data-position="${IMAGES - 1}"] button`)
    await lastRow.waitFor()
    const lastName = (await lastRow.locator('.name').innerText()).trim()
    await lastRow.click()
    await page.waitForFunction((name) => (globalThis as unknown as Hook).coilscopeReview.view?.relativePath === name, lastName)
    assert.equal((await reviewState(page)).position, IMAGES - 1)
    assert.match(await queue.getByTestId('queue-count').innerText(), new RegExp(`^${IMAGES} of ${IMAGES}$`))

    // Accepted, the last image moves on to the next unreviewed: past the end, from the start again
    // (found by the host across pages); N then goes on from there.
    await page.getByTestId('strip-viewer').locator('canvas').focus()
    await page.keyboard.press('a')
    await page.waitForFunction((last) => (globalThis as unknown as Hook).coilscopeReview.position !== last, IMAGES - 1)
    const wrapped = await reviewState(page)
    assert.ok(wrapped.position < IMAGES - 1, `accept went on to an image before the end (${wrapped.position})`)
    await queue.locator('.viewport').evaluate((el) => (el.scrollTop = el.scrollHeight))
    assert.equal(await queue.locator(`li[data-position="${IMAGES - 1}"] .dot`).getAttribute('title'), 'accepted')
    await page.keyboard.press('n')
    await page.waitForFunction((was) => (globalThis as unknown as Hook).coilscopeReview.position !== was, wrapped.position)
    const next = await reviewState(page)
    assert.ok(next.position > wrapped.position, `N went on after it (${wrapped.position} → ${next.position})`)
    const row = queue.locator(`li[data-position="${next.position}"]`)
    await row.waitFor()
    assert.equal(await row.locator('.dot').getAttribute('title'), 'unreviewed')
  } finally {
    await page.close()
  }
})
