// A watched source through the app's API, as the Library uses it: the toggle, the figures the
// Library shows, and reopening the library: a watched source is taken up again by itself and first
// catches up with what arrived while the app was closed. Real watcher, inference process, SQLite file.
import assert from 'node:assert/strict'
import { copyFileSync, cpSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { createAppService } from '../../src-main/app/appService.ts'
import { openStore } from '../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'
import { until } from '../helpers/watchCli.ts'

test('watch a source from the Library; close the app; files arrive; reopen: it resumes and catches up', async (t) => {
  // A failing step must not leave a watcher or an inference process holding the test run open.
  const open: { close(): void }[] = []
  t.after(() => open.reverse().forEach((o) => o.close()))
  const modelsRoot = tempDir()
  cpSync(join(FIXTURES, 'nchw'), join(modelsRoot, 'nchw'), { recursive: true })
  const originals = tempDir()
  const names = await writeBlockImages(originals, 10)
  const folder = tempDir()
  for (const name of names.slice(0, 3)) copyFileSync(join(originals, name), join(folder, name))
  const db = join(tempDir(), 'library.db')
  const host = { kind: 'web' as const, resourceBase: '/coil/' }

  const store = openStore(db)
  const app = createAppService({ store, host, defaultModelsRoot: modelsRoot })
  open.push(store, app)
  const source = await app.methods.openFolder({ path: folder })
  assert.equal(source.watch, null, 'not watched yet')
  await assert.rejects(app.methods.setSourceWatch({ sourceId: source.id, isWatched: true, modelSetDir: null, provider: 'cpu' }), /choose a model set/)
  const watched = await app.methods.setSourceWatch({ sourceId: source.id, isWatched: true, modelSetDir: join(modelsRoot, 'nchw'), provider: 'cpu' })
  assert.deepEqual([watched.watch?.isWatched, watched.watch?.watcher], [true, 'here'])
  for (const name of names.slice(3, 6)) copyFileSync(join(originals, name), join(folder, name))
  await until(() => store.predictions.countByRun(1) === 6, 'six results')
  const [shown] = await app.methods.listSources()
  assert.equal(shown.watch!.health.backlog, 0)
  assert.ok(shown.watch!.health.secondsSinceLastImage! < 60)
  assert.ok(shown.watch!.health.inspectionsPerMinute > 0)
  const watchJob = (await app.methods.listJobs()).find((j) => j.id === shown.watch!.jobId)!
  assert.equal(watchJob.state, 'running')
  open.splice(0).reverse().forEach((o) => o.close())

  // While the app is closed, four more images arrive.
  for (const name of names.slice(6)) copyFileSync(join(originals, name), join(folder, name))

  const reopened = openStore(db)
  const again = createAppService({ store: reopened, host, defaultModelsRoot: modelsRoot })
  open.push(reopened, again)
  const [before] = await again.methods.listSources()
  assert.deepEqual([before.watch?.isWatched, before.watch?.watcher], [true, 'none'])
  assert.equal((await again.methods.listJobs()).find((j) => j.id === watchJob.id)!.state, 'interrupted')
  await again.resumeWatched()
  await until(() => reopened.predictions.countByRun(1) === 10, 'the four new images inspected')
  const [after] = await again.methods.listSources()
  assert.deepEqual([after.watch?.watcher, after.watch?.jobId], ['here', watchJob.id], 'the interrupted watch job resumed')
  assert.equal(after.counts.done, 10)

  const stopped = await again.methods.setSourceWatch({ sourceId: source.id, isWatched: false, modelSetDir: null, provider: 'cpu' })
  assert.equal(stopped.watch?.isWatched, false)
  // The watch job ends once the image in hand (if any) is done.
  const stateOf = async () => (await again.methods.listJobs()).find((j) => j.id === watchJob.id)!.state
  for (const deadline = Date.now() + 60_000; (await stateOf()) !== 'cancelled' && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50))
  assert.equal(await stateOf(), 'cancelled')
  again.close()
  open.splice(open.indexOf(again), 1)
  assert.deepEqual(reopened.checkIntegrity(), [])
})
