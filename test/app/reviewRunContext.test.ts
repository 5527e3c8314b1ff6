// What Review tells the inspector about a run's model set, behind the API: a run of the default set
// (trained on synthetic coils only) over a folder of noise says both that the set is synthetic-only
// and that these images do not look like its training images, with the measure.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createAppService, type AppService } from '../../src-main/app/appService.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { tempDir, writeNoiseStrips } from '../helpers/images.ts'

const MODELS_ROOT = new URL('../../models', import.meta.url).pathname
let store: Store
let service: AppService

before(() => {
  store = openStore(join(tempDir(), 'library.db'))
  service = createAppService({ store, host: { kind: 'web', resourceBase: '/coil/' }, defaultModelsRoot: MODELS_ROOT })
})

after(() => {
  service.close()
  store.close()
})

test('a run of the synthetic-only default set over noise: Review is told both, with the fit measure', { timeout: 120_000 }, async () => {
  const { methods } = service
  const folder = tempDir()
  await writeNoiseStrips(folder, 2)
  const source = await methods.openFolder({ path: folder })
  const job = await methods.startJob({ sourceId: source.id, modelSetDir: join(MODELS_ROOT, 'default'), provider: 'cpu' })
  let state = job.state
  for (let i = 0; i < 1200 && !['done', 'failed', 'cancelled'].includes(state); i++) {
    await new Promise((r) => setTimeout(r, 50))
    state = (await methods.listJobs()).find((j) => j.id === job.id)!.state
  }
  assert.equal(state, 'done')
  const runId = (await methods.listSources()).find((s) => s.id === source.id)!.latestRunId!
  const context = await methods.getReviewRunContext({ runId })
  assert.equal(context.synthetic, true)
  assert.match(context.trainedOn ?? '', /^synthetic coils \(coilscope synth\) only, never real strips/)
  assert.equal(context.fit?.unlike, true)
  assert.match(context.fit!.message, /^these images do not look like the images this model set was trained on: results may be unreliable — 2 of 2 images/)
  await assert.rejects(methods.getReviewRunContext({ runId: runId + 99 }), /no run/)
})
