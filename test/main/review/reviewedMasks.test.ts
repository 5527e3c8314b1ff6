// Reviewed masks from a real run: profiles re-derive model masks from stored maps; human edits win.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { runDefaultProfile } from '../../../src-shared/thresholdProfile.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { applyProfile, listProfiles, profileForRun, reviewedMasks, saveProfile } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

let store: Store
let runId: number
let imageIds: number[]

before(async () => {
  const folder = tempDir()
  await writeBlockImages(folder, 3)
  store = openStore(join(tempDir(), 'review.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  runId = job.runId!
  imageIds = store.images.listBySource(job.sourceId!).map((i) => i.id)
})

test('under the run\'s own settings the reviewed masks are exactly the stored model masks', () => {
  const profile = profileForRun(store, runId)
  assert.equal(profile.name, 'run defaults')
  for (const imageId of imageIds) {
    const stored = store.masks.fromRun(runId, imageId).map((m) => m.rle)
    assert.deepEqual(reviewedMasks(store, runId, imageId, profile).map((m) => m.rle), stored)
  }
})

test('a profile re-derives masks from the stored maps; a gate above the image empties it', () => {
  const defaults = runDefaultProfile(store.runs.get(runId)!)
  // Raise class 1's lower threshold above the block's probability (sigmoid(12·(240/255 − .5)) ≈ 0.995 → q 254).
  const strict = { ...defaults, name: 'strict', lower: [254 / 255, 0.5, 0.4, 0.5], upper: [254 / 255, 0.7, 0.7, 0.7] }
  const first = imageIds[0] // class 1 block
  assert.notEqual(reviewedMasks(store, runId, first, defaults)[0].rle, '')
  assert.deepEqual(reviewedMasks(store, runId, first, strict).map((m) => m.rle), ['', '', '', ''])
  assert.deepEqual(reviewedMasks(store, runId, first, { ...defaults, gate: 0.9999999 }).map((m) => m.rle), ['', '', '', ''])

  saveProfile(store, strict)
  applyProfile(store, runId, 'strict')
  assert.equal(profileForRun(store, runId).name, 'strict')
  applyProfile(store, runId, null)
  assert.equal(profileForRun(store, runId).name, 'run defaults')
  assert.deepEqual(listProfiles(store).map((p) => p.name), ['strict'])
  assert.throws(() => applyProfile(store, runId, 'missing'), /no threshold profile named "missing"/)
})

test('a class whose latest revision is human keeps the human mask under any profile', () => {
  const imageId = imageIds[1] // class 2 block
  const before = store.masks.fromRun(runId, imageId)[1].rle
  store.edits.record({ imageId, classId: 2, beforeRle: before, afterRle: '1 10', tool: 'brush', author: 'inspector', runId })
  const defaults = runDefaultProfile(store.runs.get(runId)!)
  const reviewed = reviewedMasks(store, runId, imageId, { ...defaults, gate: 1 })
  assert.deepEqual(reviewed.map((m) => [m.rle, m.origin]), [['', 'model'], ['1 10', 'human'], ['', 'model'], ['', 'model']])
})
