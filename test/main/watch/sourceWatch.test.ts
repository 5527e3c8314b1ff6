// A watched source in-process, with the real watcher, inference process and SQLite file: a file
// removed between its detection and its turn is an error for that file only; a replaced file is
// inspected again; a file that only claims to be an image fails alone; nothing is retried forever.
import assert from 'node:assert/strict'
import { copyFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { SUPPORTED_FORMATS } from '../../../src-main/pipeline/sniff.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { isTemporaryName, SourceWatch } from '../../../src-main/watch/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'
import { until } from '../../helpers/watchCli.ts'

const NCHW = join(FIXTURES, 'nchw')

test('temporary names are the ones writers use before their rename', () => {
  for (const name of ['a.jpg.part', 'a.tmp', '.a.jpg', 'a.jpg~', 'a.JPG.crdownload', 'coil/x.partial', '~$a.jpg']) assert.equal(isTemporaryName(name), true, name)
  for (const name of ['a.jpg', 'coil-0001.png', 'part.jpg', 'tmp/a.jpg']) assert.equal(isTemporaryName(name), false, name)
})

test('removed before its turn: that file fails with the reason; the rest are inspected; a replaced file is inspected again', async (t) => {
  const originals = tempDir()
  const names = await writeBlockImages(originals, 6)
  const folder = tempDir()
  const store = openStore(join(tempDir(), 'watch.db'))
  const queue = new JobQueue(store)
  const rejected: string[] = []
  const watch = new SourceWatch(store, queue, { folder, modelsDir: NCHW, provider: 'cpu', threads: 1 }, { stableMs: 300, onRejected: (path, reason) => rejected.push(`${path}: ${reason}`) })
  // A failing step must not leave the watcher and the inference process holding the test run open.
  let isClosed = false
  t.after(async () => {
    if (isClosed) return
    await watch.stop()
    queue.close()
    store.close()
  })
  const job = await watch.start()
  await until(() => queue.get(job.id)!.runId !== null, 'the models loaded')
  queue.pause(job.id) // hold inspection so that the files are detected and wait
  for (const name of names) copyFileSync(join(originals, name), join(folder, name))
  writeFileSync(join(folder, 'fake.jpg'), 'not an image at all')
  const sourceId = watch.sourceId
  await until(() => store.images.listBySource(sourceId).length === 7, 'seven files detected')
  rmSync(join(folder, names[2]))
  await until(() => store.images.findByPath(sourceId, names[2])!.status === 'failed', 'the removal seen')
  queue.resume(job.id)
  await until(() => store.predictions.countByRun(queue.get(job.id)!.runId!) === 5, 'five results')

  const byName = new Map(store.images.listBySource(sourceId).map((i) => [i.relativePath, i]))
  assert.deepEqual(byName.get(names[2])!.error, 'the file was removed before it was inspected')
  assert.match(byName.get('fake.jpg')!.error!, /not an image/)
  assert.deepEqual(rejected.sort(), [`${names[2]}: the file was removed before it was inspected`, `fake.jpg: not an image: Coilscope reads ${SUPPORTED_FORMATS}`])
  for (const name of [0, 1, 3, 4, 5].map((i) => names[i])) assert.equal(byName.get(name)!.status, 'done', name)

  // Replaced with other content: inspected again under the same run.
  const runId = queue.get(job.id)!.runId!
  const before = store.predictions.get(runId, byName.get(names[0])!.id)!
  copyFileSync(join(originals, names[1]), join(folder, names[0]))
  await until(() => store.images.findByPath(sourceId, names[0])!.sha256 === byName.get(names[1])!.sha256 && store.images.findByPath(sourceId, names[0])!.status === 'done', 'the replaced file inspected')
  const after = store.predictions.get(runId, byName.get(names[0])!.id)!
  assert.notEqual(after.imageSha256, before.imageSha256)

  await watch.stop()
  await queue.idle()
  assert.equal(queue.get(job.id)!.state, 'cancelled')
  queue.close()
  assert.deepEqual(store.checkIntegrity(), [])
  store.close()
  isClosed = true
})
