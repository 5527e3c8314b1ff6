// "Add model set…" in Debian's Chromium against `coilscope serve`: a set from a folder outside the
// models root is validated and listed with its signature table; an invalid one shows every
// problem, file and key named; a source unlike the default set's training images is warned about.
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { FIXTURES, tempDir } from '../helpers/images.ts'
import { browserUnavailable, modelSetForTests, servePage, sharedBrowser } from './harness.ts'

const skip = browserUnavailable()
const browser = sharedBrowser(skip)

test('Add model set… from any folder: status and signature table, or every problem', { skip: skip ?? false, timeout: 180_000 }, async () => {
  const work = tempDir('coilscope-e2e-sets-')
  cpSync(join(FIXTURES, 'keras'), join(work, 'plant-keras'), { recursive: true })
  cpSync(join(FIXTURES, 'nchw'), join(work, 'broken'), { recursive: true })
  const manifest = JSON.parse(readFileSync(join(work, 'broken', 'manifest.json'), 'utf8'))
  manifest.input.height = '128'
  manifest.segmenter.treshold = 0.5
  writeFileSync(join(work, 'broken', 'manifest.json'), JSON.stringify(manifest))
  const { server, page } = await servePage(browser(), ['--db', join(work, 'library.db'), '--models-root', modelSetForTests().root], { width: 1920, height: 1080 })
  try {
    const add = async (dir: string) => {
      await page.getByRole('button', { name: 'Add model set…' }).click()
      await page.getByLabel('Model-set folder on this machine').fill(dir)
      await page.getByRole('button', { name: 'Add', exact: true }).click()
      await page.getByRole('combobox', { name: 'Model set' }).locator('option', { hasText: dir.endsWith('broken') ? 'broken (invalid)' : 'Test fixture (keras)' }).waitFor({ state: 'attached', timeout: 60_000 })
    }
    await add(join(work, 'plant-keras'))
    assert.equal(await page.getByRole('combobox', { name: 'Model set' }).inputValue(), join(work, 'plant-keras'))
    await page.getByText('Valid — manifest, hashes and ONNX signatures checked').waitFor()
    await page.getByText('Signature table').click()
    const table = await page.getByLabel('Signature table').textContent()
    assert.match(table ?? '', /input {3}"input_1:0" float32 \[1, 128, 800, 3\]; fixed batch 1/)

    await add(join(work, 'broken'))
    await page.getByText('Cannot be used').waitFor()
    const problems = await page.locator('.problems li').allTextContents()
    const file = join(work, 'broken', 'manifest.json')
    assert.deepEqual(problems, [`${file}: input.height: expected a number, got a string`, `${file}: segmenter: unknown key "treshold"`])
  } finally {
    await page.close()
    await server.stop()
  }
})
