// The coil map in Debian's Chromium against `coilscope serve`: a coil of four block images (the
// fixture models find each block exactly) inspected by the CLI, a rule set imported by the CLI;
// the Library draws every defect where the blocks are (sampled canvas pixels in the class colours),
// a click on a defect opens its image in Review, and confirming the proposal records a decision; a
// stroke painted in Review then changes the proposal shown and marks that decision out of date.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { boxToCanvas, wholeCoil } from '../../src-renderer/src/lib/coilLayout.ts'
import { openStore } from '../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'
import { artifactPath, browserUnavailable, coilscope, nameReviewer, serve, sharedBrowser } from './harness.ts'

const skip = browserUnavailable()
const browser = sharedBrowser(skip)

const COLOURS = (JSON.parse(readFileSync(join(FIXTURES, 'nchw', 'manifest.json'), 'utf8')) as { classes: { id: number; color: string }[] }).classes
const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))

test('the coil map draws each defect at its place in its class colour; a click opens Review; a decision is recorded', { skip: skip ?? false, timeout: 180_000 }, async () => {
  const work = tempDir('coilscope-e2e-coils-')
  const folder = join(work, 'coil-A7')
  mkdirSync(folder)
  await writeBlockImages(folder, 4) // image i: a 64×200 px block of class i + 1 at rows 64·i…, columns 0…199
  const db = join(work, 'library.db')
  await coilscope(['inspect', folder, '--db', db, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(work, 'out.csv')])
  const rules = join(work, 'rules.json')
  const ruleSet = {
    name: 'plant', version: 1, edgeBandMm: 20, rules: [
      { id: 'class 4', kind: 'defectArea', classes: [4], atLeastMm2: 1000, outcome: 'downgrade', reason: 'class 4 found' },
      { id: 'pits', kind: 'count', per: 'coil', classes: [1], atLeast: 2, outcome: 'reject', reason: 'two or more class 1 defects' },
    ],
  }
  writeFileSync(rules, JSON.stringify(ruleSet))
  await coilscope(['coils', '--db', db, '--rules', rules])

  const server = await serve(['--db', db, '--models-root', join(FIXTURES)])
  const page = await browser().newPage({ viewport: { width: 1600, height: 1000 } })
  try {
    await page.goto(server.url)
    await nameReviewer(page, 'e2e')
    const canvas = page.locator('canvas[aria-label="Coil map of coil-A7: 4 defects over 6.4 m"]')
    await canvas.waitFor({ timeout: 60_000 })
    await page.getByTestId('coil-proposal').filter({ hasText: 'Proposed: downgrade' }).waitFor()
    await page.screenshot({ path: artifactPath('coil-map-01.png') })

    const size = await canvas.evaluate((c) => ({ width: (c as { width: number }).width, height: (c as { height: number }).height }))
    const pixels = await canvas.evaluate((c) => {
      const el = c as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
      return Array.from(el.getContext('2d').getImageData(0, 0, el.width, el.height).data)
    })
    const at = (x: number, y: number) => pixels.slice((Math.round(y) * size.width + Math.round(x)) * 4, (Math.round(y) * size.width + Math.round(x)) * 4 + 3)
    const view = wholeCoil(6400)
    for (let i = 0; i < 4; i++) {
      // Block i on the coil at 1 mm per pixel: along 1600·i … 1600·i + 200 mm, across 64·i … 64·i + 64 mm.
      const r = boxToCanvas({ alongFromMm: 1600 * i, alongToMm: 1600 * i + 200, acrossFromMm: 64 * i, acrossToMm: 64 * i + 64 }, view, 256, size)
      assert.deepEqual(at(r.x + r.w / 2, r.y + r.h / 2), rgb(COLOURS[i].color), `class ${i + 1} drawn at its block`)
      const below = (64 * ((i + 2) % 4) + 32) / 256 * size.height // another band of the same stretch: no defect there
      assert.notDeepEqual(at(r.x + r.w / 2, below), rgb(COLOURS[i].color), `nothing of class ${i + 1} outside its block`)
    }

    // The density strips: one row of 8 px per class, its defect's metre (block i starts at 1.6·i m) in the class colour.
    const strips = await page.locator('canvas.density').evaluate((c) => {
      const el = c as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
      return { width: el.width, data: Array.from(el.getContext('2d').getImageData(0, 0, el.width, el.height).data) }
    })
    const stripAt = (x: number, y: number) => strips.data.slice((y * strips.width + Math.round(x)) * 4, (y * strips.width + Math.round(x)) * 4 + 4)
    for (let i = 0; i < 4; i++) {
      const metre = Math.floor((1600 * i) / 1000)
      const m = boxToCanvas({ alongFromMm: metre * 1000, alongToMm: metre * 1000 + 1000, acrossFromMm: 0, acrossToMm: 0 }, view, 256, size)
      assert.deepEqual(stripAt(m.x + m.w / 2, i * 8 + 3), [...rgb(COLOURS[i].color), 255], `class ${i + 1} density in metre ${metre}`)
      const empty = boxToCanvas({ alongFromMm: 5500, alongToMm: 6400, acrossFromMm: 0, acrossToMm: 0 }, view, 256, size)
      assert.equal(stripAt(empty.x + empty.w / 2, i * 8 + 3)[3], 0, `no class ${i + 1} defect in the last metre`)
    }

    // Click the class-2 defect: Review opens on its image.
    const r2 = boxToCanvas({ alongFromMm: 1600, alongToMm: 1800, acrossFromMm: 64, acrossToMm: 128 }, view, 256, size)
    await canvas.click({ position: { x: r2.x + r2.w / 2, y: r2.y + r2.h / 2 } })
    await page.getByRole('tab', { name: 'Review', selected: true }).waitFor()
    await page.getByText('coil-0001.jpg').first().waitFor()
    await page.screenshot({ path: artifactPath('coil-map-02-review.png') })

    await page.getByRole('tab', { name: 'Library' }).click()
    await page.getByRole('button', { name: 'Confirm downgrade' }).click()
    await page.getByTestId('coil-decision').filter({ hasText: 'Confirmed downgrade by' }).waitFor()
    await page.screenshot({ path: artifactPath('coil-map-03-decided.png') })

    // A correction in Review changes the proposal: click the class-3 defect (image coil-0002, which
    // has no class 1), paint a class-1 stroke away from its block; the coil now holds two class-1
    // defects, so 'pits' fires and the proposal is reject; the decision is out of date, not changed.
    const r3 = boxToCanvas({ alongFromMm: 3200, alongToMm: 3400, acrossFromMm: 128, acrossToMm: 192 }, view, 256, size)
    await canvas.click({ position: { x: r3.x + r3.w / 2, y: r3.y + r3.h / 2 } })
    await page.getByRole('tab', { name: 'Review', selected: true }).waitFor()
    await page.getByText('coil-0002.jpg').first().waitFor()
    await page.keyboard.press('1')
    await page.keyboard.press('b')
    const strip = (await page.getByTestId('strip-viewer').locator('canvas').boundingBox())!
    // Across the strip's middle row (the image fills the viewer's width, centred in its height).
    await page.mouse.move(strip.x + strip.width * 0.5, strip.y + strip.height / 2)
    await page.mouse.down()
    for (let f = 0.5; f <= 0.7; f += 0.02) await page.mouse.move(strip.x + strip.width * f, strip.y + strip.height / 2)
    await page.mouse.up()
    // The edit is stored by the host (the Library reads the store when it is shown again).
    const proposalNow = () => page.evaluate(async () => {
      const api = (globalThis as unknown as { coilscope: { listCoils(i: { sourceId: null }): Promise<{ coils: { proposal: { outcome: string } | null }[] }> } }).coilscope
      return (await api.listCoils({ sourceId: null })).coils[0]?.proposal?.outcome
    })
    for (let tries = 0; (await proposalNow()) !== 'reject'; tries++) {
      assert.ok(tries < 60, 'the stroke never reached the store as a second class-1 defect')
      await page.waitForTimeout(500)
    }
    await page.screenshot({ path: artifactPath('coil-map-04-corrected.png') })
    await page.getByRole('tab', { name: 'Library' }).click()
    await page.getByTestId('coil-proposal').filter({ hasText: 'Proposed: reject' }).waitFor()
    await page.getByTestId('coil-decision').filter({ hasText: 'Confirmed downgrade by e2e · out of date: masks edited since' }).waitFor()
    assert.match(await page.locator('ul.fired').innerText(), /reject pits: two or more class 1 defects \(2 places\)/)
    await page.screenshot({ path: artifactPath('coil-map-05-proposal-changed.png') })
    await page.getByRole('button', { name: 'Confirm reject' }).click()
    await page.getByTestId('coil-decision').filter({ hasText: 'Confirmed reject by e2e' }).waitFor()
  } finally {
    await page.close()
    await server.stop()
  }
  const store = openStore(db)
  try {
    const [coil] = store.coils.list()
    const decisions = store.disposition.decisions(coil.id)
    assert.deepEqual(decisions.map((d) => [d.action, d.disposition, d.proposed]), [['confirm', 'downgrade', 'downgrade'], ['confirm', 'reject', 'reject']],
      'the first decision kept as it was, the second answering the corrected proposal')
  } finally {
    store.close()
  }
})
