// What a reviewer feels, timed inside the page (the renderer built with its test hooks): from the
// input event's own time stamp (the key, the pointer, the click as the browser received them, so a
// busy page counts) to the image or mask painted. Playwright drives real input through Chromium.
import type { Page, WebSocket } from 'playwright-core'

/** Longer than this and a measurement is recorded as this long (the page or the host is stuck). */
const STUCK_MS = 30_000

type Hooks = {
  coilscopeReview: { view: { imageId: number } | null; position: number; queueTotal: number; sourceId?: number }
  coilscopePaintTimes: () => Map<number, number>
  coilscopeRenderTimes: () => number[]
  benchInput: { key: number; pointer: number; click: number }
  benchForward?: boolean
  requestAnimationFrame: (f: () => void) => void
  addEventListener: (type: string, listener: (e: { timeStamp: number }) => void, options: { capture: boolean }) => void
}

/** Notes the time stamp of each key, pointer and click event before the app handles it. */
export async function recordInputTimes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as Hooks
    g.benchInput = { key: 0, pointer: 0, click: 0 }
    // The event's time stamp is when the browser took the input; never later than now.
    const at = (e: { timeStamp: number }) => Math.min(e.timeStamp, performance.now())
    g.addEventListener('keydown', (e) => (g.benchInput.key = at(e)), { capture: true })
    g.addEventListener('pointerdown', (e) => (g.benchInput.pointer = at(e)), { capture: true })
    g.addEventListener('click', (e) => (g.benchInput.click = at(e)), { capture: true })
  })
}

export const canvasOf = (page: Page) => page.getByTestId('strip-viewer').locator('canvas')

/**
 * Presses → (← at the end of the queue) on the strip and resolves with ms from the key to the new
 * image painted with its overlays.
 */
export async function timeNextImage(page: Page): Promise<number> {
  const { from, key } = await page.evaluate(() => {
    const g = globalThis as unknown as Hooks
    g.coilscopePaintTimes().clear()
    const r = g.coilscopeReview
    // Forward to the end of the queue, then back to its start, and so on.
    let forward = g.benchForward ?? true
    if (forward && r.position >= r.queueTotal - 1) forward = false
    else if (!forward && r.position <= 0) forward = true
    g.benchForward = forward
    return { from: r.view!.imageId, key: forward ? 'ArrowRight' : 'ArrowLeft' }
  })
  await page.keyboard.press(key)
  return page.evaluate(
    async ({ from, stuck }) => {
      const g = globalThis as unknown as Hooks
      for (;;) {
        const id = g.coilscopeReview.view?.imageId
        const at = id === undefined ? undefined : g.coilscopePaintTimes().get(id)
        if (id !== from && at !== undefined) return at - g.benchInput.key
        if (performance.now() - g.benchInput.key > stuck) return stuck
        await new Promise<void>((done) => g.requestAnimationFrame(() => done()))
      }
    },
    { from, stuck: STUCK_MS },
  )
}

/** Leaves for the Library, then clicks the Review tab: ms from the click to its image painted. */
export async function timeReviewOpen(page: Page, settleMs: number): Promise<number> {
  await page.locator('#tab-library').click()
  await page.getByRole('grid', { name: 'Images' }).waitFor()
  await page.waitForTimeout(settleMs)
  await page.evaluate(() => (globalThis as unknown as Hooks).coilscopePaintTimes().clear())
  await page.locator('#tab-review').click()
  const ms = await page.evaluate(async (stuck) => {
    const g = globalThis as unknown as Hooks
    for (;;) {
      const first = Math.min(...g.coilscopePaintTimes().values())
      if (Number.isFinite(first)) return first - g.benchInput.click
      if (performance.now() - g.benchInput.click > stuck) return stuck
      await new Promise<void>((done) => g.requestAnimationFrame(() => done()))
    }
  }, STUCK_MS)
  await canvasOf(page).focus()
  return ms
}

/** Saves of mask edits (and of their undo) seen on the page's socket: request sent → reply received, in ms. */
export class SaveWatcher {
  readonly #sent = new Map<number, number>()
  #waiting: ((ms: number) => void) | null = null

  constructor(page: Page) {
    page.on('websocket', (socket: WebSocket) => {
      socket.on('framesent', ({ payload }) => {
        const match = /^\{"id":(\d+),"method":"(saveMaskEdit|revertToModel)"/.exec(String(payload).slice(0, 60))
        if (match) this.#sent.set(Number(match[1]), performance.now())
      })
      socket.on('framereceived', ({ payload }) => {
        const match = /^\{"id":(\d+),/.exec(String(payload).slice(0, 40))
        const sentAt = match ? this.#sent.get(Number(match[1])) : undefined
        if (sentAt === undefined) return
        this.#sent.delete(Number(match![1]))
        this.#waiting?.(performance.now() - sentAt)
        this.#waiting = null
      })
    })
  }

  /** The next save's round trip (or STUCK_MS when none comes back in that time). */
  next(): Promise<number> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(STUCK_MS), STUCK_MS)
      this.#waiting = (ms) => {
        clearTimeout(timer)
        resolve(ms)
      }
    })
  }
}

/**
 * A brush stroke of class 3 across the strip: ms from the pointer going down to the first frame
 * after the mask was painted, and from the release to the host's reply to its save. Then Ctrl+Z
 * (saved too, awaited), so the image is as it was and the next stroke on it is an edit again.
 */
export async function timeStroke(page: Page, saves: SaveWatcher): Promise<{ paintMs: number; saveMs: number }> {
  const canvas = canvasOf(page)
  await canvas.focus()
  await page.keyboard.press('3')
  await page.keyboard.press('b')
  const box = (await canvas.boundingBox())!
  const y = box.height / 2
  await page.evaluate(() => ((globalThis as unknown as Hooks).coilscopeRenderTimes().length = 0))
  await page.mouse.move(box.x + 200, box.y + y)
  await page.mouse.down()
  const paintMs = await page.evaluate(async (stuck) => {
    const g = globalThis as unknown as Hooks
    for (;;) {
      await new Promise<void>((done) => g.requestAnimationFrame(() => done()))
      if (g.coilscopeRenderTimes().length > 0) return performance.now() - g.benchInput.pointer
      if (performance.now() - g.benchInput.pointer > stuck) return stuck
    }
  }, STUCK_MS)
  for (let x = 230; x <= 410; x += 30) await page.mouse.move(box.x + x, box.y + y)
  const saved = saves.next()
  await page.mouse.up()
  const saveMs = await saved
  const undone = saves.next()
  await page.keyboard.press('Control+z')
  await undone
  return { paintMs, saveMs }
}
