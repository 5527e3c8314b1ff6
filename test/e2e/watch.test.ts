// A watched source in the Library, in Debian's Chromium against `coilscope serve`: the Watch folder
// toggle, images copied into the folder inspected as they arrive, and the source's watch figures.
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStore } from '../../src-main/store/index.ts'
import { tempDir, writeBlockImages } from '../helpers/images.ts'
import { artifactPath, browserUnavailable, modelSetForTests, openFolderWithModels, servePage, sharedBrowser } from './harness.ts'

const skip = browserUnavailable()
const browser = sharedBrowser(skip)

test('watch a folder from the Library: arriving images are inspected and the figures follow', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const originals = tempDir()
  const names = await writeBlockImages(originals, 8)
  const folder = join(tempDir('coilscope-e2e-'), 'line-3')
  mkdirSync(folder)
  copyFileSync(join(originals, names[0]), join(folder, names[0]))
  const dbPath = join(tempDir(), 'library.db')
  const models = modelSetForTests()
  const { server, page } = await servePage(browser(), ['--db', dbPath, '--models-root', models.root], { width: 1600, height: 1000 })
  try {
    await openFolderWithModels(page, folder, /line-3/, models.dir)

    await page.getByRole('checkbox', { name: 'Watch folder' }).check()
    await page.getByText('watching', { exact: true }).waitFor()
    for (const name of names.slice(1)) copyFileSync(join(originals, name), join(folder, name))
    const source = page.getByRole('option', { name: /line-3/ })
    await source.getByText(`${names.length} done`).waitFor({ timeout: 180_000 })
    const figures = source.getByLabel('Watch status of line-3')
    await figures.getByText('backlog 0').waitFor()
    assert.match(await figures.innerText(), /inspected\/min/)
    await page.screenshot({ path: artifactPath('watch-01-watching.png') })

    await page.getByRole('checkbox', { name: 'Watch folder' }).uncheck()
    await page.getByText('watching', { exact: true }).waitFor({ state: 'detached' })
    const store = openStore(dbPath)
    try {
      assert.equal(store.predictions.countByRun(store.runs.list()[0].id), names.length)
      assert.equal(store.watch.listWatched().length, 0, 'the toggle turned the watch off')
    } finally {
      store.close()
    }
  } finally {
    await page.close()
    await server.stop()
  }
})
