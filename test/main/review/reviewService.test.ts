import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { profileForRun, ReviewService, saveMaskEdit, setReview } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { FIXTURES, stripWithBlock, tempDir, writeBlockImages, writeGray } from '../../helpers/images.ts'

let store: Store
let runId: number
let sourceId: number

before(async () => {
  const folder = tempDir()
  await writeBlockImages(folder, 4)
  await writeGray(join(folder, 'dark.jpg'), stripWithBlock(20), 'jpeg')
  writeFileSync(join(folder, 'truth.csv'), 'ImageId,ClassId,EncodedPixels\ncoil-0000.jpg,1,1 5\n')
  store = openStore(join(tempDir(), 's.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  ;({ runId, sourceId } = queue.get(id) as { runId: number; sourceId: number })
})

test('an image\'s review state: gate, maps, classes with origin, truth, review', () => {
  const service = new ReviewService(store)
  const first = store.images.findByPath(sourceId, 'coil-0000.jpg')!
  saveMaskEdit(store, { imageId: first.id, classId: 1, runId, beforeRle: '', afterRle: '7 3', baseRevision: 1, tool: 'brush', author: 'ana' })
  setReview(store, { imageId: first.id, status: 'flagged', author: 'ana', note: 'check edge' })
  const view = service.getImage(runId, first.id)
  assert.deepEqual([view.width, view.height, view.gatePassed, view.mapSize], [1600, 256, true, { height: 128, width: 800 }])
  assert.deepEqual(view.classes.map((c) => [c.classId, c.origin, c.humanRle]), [[1, 'human', '7 3'], [2, 'model', ''], [3, 'model', ''], [4, 'model', '']])
  assert.deepEqual(view.truthRles, ['1 5', '', '', ''])
  assert.deepEqual([view.review!.status, view.review!.note, view.editCount], ['flagged', 'check edge', 1])
  const dark = service.getImage(runId, store.images.findByPath(sourceId, 'dark.jpg')!.id)
  assert.deepEqual([dark.gatePassed, dark.mapSize, dark.forced], [false, null, null])
})

test('the queue puts the least certain first, or the unreviewed first', () => {
  const service = new ReviewService(store)
  const byMargin = service.queue(runId, sourceId, 'uncertainty')
  assert.equal(byMargin.length, 5)
  for (let i = 1; i < byMargin.length; i++) assert.ok(byMargin[i - 1].margin <= byMargin[i].margin)
  const unreviewed = service.queue(runId, sourceId, 'unreviewedFirst')
  assert.equal(unreviewed.at(-1)!.relativePath, 'coil-0000.jpg') // the one flagged above
  assert.equal(unreviewed.at(-1)!.hasHumanEdits, true)
})

test('metrics follow the profile; without truth there are none', () => {
  const service = new ReviewService(store)
  const profile = profileForRun(store, runId)
  const { scores } = service.metrics(runId, sourceId, profile)
  assert.equal(scores!.length, 4)
  assert.equal(scores![0].defectImages, 1)
  const stricter = service.metrics(runId, sourceId, { ...profile, gate: 1 })
  assert.ok(stricter.scores![1].falsePositiveRate === 0)
  const optimised = service.optimise(runId, sourceId, profile)!
  const [was, now] = [profile, optimised].map((p) => service.metrics(runId, sourceId, p).scores!)
  now.forEach((s, c) => assert.ok(s.meanDice >= was[c].meanDice, `class ${c + 1}: ${s.meanDice} < ${was[c].meanDice}`))
  assert.equal(optimised.gate, profile.gate)
})
