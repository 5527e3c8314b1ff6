// The report and the reviewed exports reuse the masks a run stored when the profile is the run's
// own: this holds them equal, class by class, to the masks re-derived from the stored probability
// maps, on real runs — synthetic coils through models/default, and block images through the
// fixture models.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { derivedModelMasks, profileForRun, reviewedMasks } from '../../../src-main/review/index.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { writeSynthFolder } from '../../../src-main/synth/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const ROOT = new URL('../../../', import.meta.url).pathname

async function assertStoredEqualsDerived(folder: string, modelsDir: string): Promise<number> {
  const store = openStore(join(tempDir(), 'masks.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir, provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  assert.equal(job.state, 'done', job.message ?? '')
  const profile = profileForRun(store, job.runId!)
  let nonEmpty = 0
  for (const image of store.images.listBySource(job.sourceId!)) {
    if (image.status !== 'done') continue
    const stored = store.masks.fromRun(job.runId!, image.id).map((m) => m.rle)
    const derived = derivedModelMasks(store, job.runId!, image.id, profile) ?? stored.map(() => '')
    assert.deepEqual(stored, derived, `${image.relativePath}: stored model masks equal the re-derived ones`)
    assert.deepEqual(reviewedMasks(store, job.runId!, image.id, profile).map((m) => m.rle), derived)
    nonEmpty += stored.filter((rle) => rle !== '').length
  }
  store.close()
  return nonEmpty
}

test('models/default on synthetic coils: stored masks equal re-derived masks', async () => {
  const folder = tempDir()
  await writeSynthFolder(folder, { count: 8, seed: 11, defectRate: 0.9 })
  const nonEmpty = await assertStoredEqualsDerived(folder, join(ROOT, 'models/default'))
  assert.ok(nonEmpty > 0, 'some masks are not empty')
})

test('fixture models on block images: stored masks equal re-derived masks', async () => {
  const folder = tempDir()
  await writeBlockImages(folder, 4)
  assert.ok((await assertStoredEqualsDerived(folder, join(FIXTURES, 'nchw'))) > 0)
})
