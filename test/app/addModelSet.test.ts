// "Add model set…" behind the API: a set from any folder is validated, listed with its status and
// signature table, kept in the settings and runnable; an invalid one shows every problem by file
// and key; a folder without a manifest is refused with what to do.
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createAppService, type AppService } from '../../src-main/app/appService.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeNoiseStrips } from '../helpers/images.ts'

let store: Store
let service: AppService
const elsewhere = tempDir()

before(() => {
  cpSync(join(FIXTURES, 'keras'), join(elsewhere, 'plant-keras'), { recursive: true })
  cpSync(join(FIXTURES, 'nchw'), join(elsewhere, 'broken'), { recursive: true })
  const manifest = JSON.parse(readFileSync(join(elsewhere, 'broken', 'manifest.json'), 'utf8'))
  manifest.input.height = '128'
  manifest.segmenter.treshold = 0.5
  writeFileSync(join(elsewhere, 'broken', 'manifest.json'), JSON.stringify(manifest))
  cpSync(join(FIXTURES, 'nchw'), join(elsewhere, 'tampered'), { recursive: true })
  writeFileSync(join(elsewhere, 'tampered', 'seg-band-nchw.onnx'), 'not the model')
  writeFileSync(join(elsewhere, 'tampered', 'cls-logit-nchw.onnx'), 'not the model either')
  store = openStore(join(tempDir(), 'library.db'))
  service = createAppService({ store, host: { kind: 'web', resourceBase: '/coil/' }, defaultModelsRoot: tempDir() })
})

after(() => {
  service.close()
  store.close()
})

test('a set from any folder is validated, listed with its signature table, kept, and can run', async () => {
  const { methods } = service
  assert.deepEqual(await methods.listModelSets(), [])
  const added = await methods.addModelSet({ dir: join(elsewhere, 'plant-keras') })
  assert.equal(added.isValid, true, added.problems.join('\n'))
  assert.match(added.signature, /segmenter {2}keras-seg\.onnx\n {2}producer tf2onnx; IR 8; opsets ai\.onnx:17\n {2}input {3}"input_1:0" float32 \[1, 128, 800, 3\]; fixed batch 1/)
  assert.match(added.signature, /manifest output: probability; channels 0→class 1, 1→class 2, 2→class 3, 3→class 4; 128×800/)
  assert.deepEqual((await methods.getSettings()).extraModelSetDirs, [join(elsewhere, 'plant-keras')])
  assert.deepEqual((await methods.listModelSets()).map((s) => [s.dir, s.isValid]), [[join(elsewhere, 'plant-keras'), true]])
  const folder = tempDir()
  const source = await methods.openFolder({ path: folder })
  const job = await methods.startJob({ sourceId: source.id, modelSetDir: added.dir, provider: 'cpu' })
  assert.equal(job.modelSetDir, added.dir)
  // Let the (empty) job finish before the service closes.
  let state = job.state
  for (let i = 0; i < 200 && !['done', 'failed', 'cancelled'].includes(state); i++) {
    await new Promise((r) => setTimeout(r, 50))
    state = (await methods.listJobs()).find((j) => j.id === job.id)!.state
  }
  assert.equal(state, 'done')
})

test('an invalid set is listed with every problem, file and key named', async () => {
  const { methods } = service
  const broken = await methods.addModelSet({ dir: join(elsewhere, 'broken') })
  assert.equal(broken.isValid, false)
  const file = join(elsewhere, 'broken', 'manifest.json')
  assert.deepEqual(broken.problems, [`${file}: input.height: expected a number, got a string`, `${file}: segmenter: unknown key "treshold"`])
  const tampered = await methods.addModelSet({ dir: join(elsewhere, 'tampered') })
  assert.equal(tampered.isValid, false)
  assert.equal(tampered.problems.length, 2)
  assert.match(tampered.problems[0], /tampered\/cls-logit-nchw\.onnx: sha256 is [0-9a-f]{64}, the manifest says/)
  assert.match(tampered.problems[1], /tampered\/seg-band-nchw\.onnx: sha256 is [0-9a-f]{64}, the manifest says/)
  assert.deepEqual((await methods.listModelSets()).map((s) => s.isValid), [true, false, false])
})

test('a folder without a manifest is refused with what to do', async () => {
  await assert.rejects(service.methods.addModelSet({ dir: tempDir() }), /no manifest\.json there — a model set is a folder with manifest\.json and its \.onnx files \(`coilscope models init <folder>` drafts one\)/)
})

test('checkFit: a source of noise against the default set warns with the measure; a set without a fingerprint says nothing', async () => {
  const { methods } = service
  const folder = tempDir()
  await writeNoiseStrips(folder, 2)
  const source = await methods.openFolder({ path: folder })
  const fit = await methods.checkFit({ sourceId: source.id, modelSetDir: new URL('../../models/default', import.meta.url).pathname })
  assert.equal(fit?.unlike, true)
  assert.match(fit!.message, /^these images do not look like the images this model set was trained on: results may be unreliable — 2 of 2 images/)
  assert.equal(await methods.checkFit({ sourceId: source.id, modelSetDir: join(elsewhere, 'plant-keras') }), null)
})
