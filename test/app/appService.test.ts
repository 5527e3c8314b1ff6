// The service behind the API, end to end under Node: a real store, the real inference process and
// the fixture model sets. Open a folder, validate model sets, run, then page, filter and sort the
// results, and serve their bytes by id.
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import sharp from 'sharp'
import type { ImageFinishedEvent, ImageQuery, JobView } from '../../src-shared/api.ts'
import { createAppService, type AppService } from '../../src-main/app/appService.ts'
import { dispatch } from '../../src-main/app/dispatch.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'

let store: Store
let service: AppService
let folder: string
let modelsRoot: string
const finished: ImageFinishedEvent[] = []

before(async () => {
  folder = tempDir()
  await writeBlockImages(folder, 8) // coil-000i.jpg has exactly class (i mod 4) + 1
  writeFileSync(join(folder, 'broken.jpg'), 'not a jpeg')
  modelsRoot = tempDir()
  cpSync(join(FIXTURES, 'nchw'), join(modelsRoot, 'nchw'), { recursive: true })
  cpSync(join(FIXTURES, 'nchw'), join(modelsRoot, 'tampered'), { recursive: true })
  writeFileSync(join(modelsRoot, 'tampered', 'seg-band-nchw.onnx'), 'not the model')
  store = openStore(join(tempDir(), 'library.db'))
  service = createAppService({ store, host: { kind: 'web', resourceBase: '/coil/' }, defaultModelsRoot: modelsRoot })
  service.events.onAny((event, payload) => {
    if (event === 'imageFinished') finished.push(payload as ImageFinishedEvent)
  })
})

after(() => {
  service.close()
  store.close()
})

const query = (sourceId: number, change: Partial<ImageQuery> = {}): ImageQuery => ({
  sourceId,
  runId: null,
  offset: 0,
  limit: 100,
  sort: { key: 'name', isDescending: false },
  filter: { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null },
  ...change,
})

function untilDone(jobId: number): Promise<JobView> {
  return new Promise((resolve) => {
    const stop = service.events.onAny((event, payload) => {
      const job = payload as JobView
      if (event === 'jobProgress' && job.id === jobId && ['done', 'failed', 'cancelled'].includes(job.state)) {
        stop()
        resolve(job)
      }
    })
  })
}

test('a folder is opened, a model set run on it, and its images listed by status, class and gate', async () => {
  const { methods } = service
  const source = await methods.openFolder({ path: folder })
  assert.deepEqual(source.counts, { pending: 8, done: 0, failed: 1, skipped: 0, total: 9 })
  assert.deepEqual((await methods.getSettings()).recentFolders, [folder])

  const sets = await methods.listModelSets()
  assert.deepEqual(sets.map((s) => [s.dir, s.isValid]), [[join(modelsRoot, 'nchw'), true], [join(modelsRoot, 'tampered'), false]])
  assert.deepEqual(sets[0].classes.map((c) => c.name), ['pits', 'cracks', 'scratches', 'scale'])
  assert.deepEqual([sets[0].classifiers, sets[0].segmenters], [['cls-logit-nchw.onnx'], ['seg-band-nchw.onnx']])
  assert.match(sets[1].problems.join('\n'), /seg-band-nchw\.onnx: sha256 is [0-9a-f]{64}, the manifest says/)
  await assert.rejects(methods.startJob({ sourceId: source.id, modelSetDir: sets[1].dir, provider: 'cpu' }), /cannot be used/)
  await assert.rejects(methods.startJob({ sourceId: source.id, modelSetDir: FIXTURES, provider: 'cpu' }), /is not a model set under/)

  const job = await methods.startJob({ sourceId: source.id, modelSetDir: sets[0].dir, provider: 'cpu' })
  assert.deepEqual([job.sourceId, job.state, job.modelSetDir], [source.id, 'pending', sets[0].dir])
  const done = await untilDone(job.id)
  assert.deepEqual([done.state, done.progress.done, done.progress.total, done.progress.errors, done.providerUsed], ['done', 8, 8, 1, 'cpu'])
  assert.equal(finished.length, 8)
  assert.ok(finished.every((e) => e.sourceId === source.id && e.ok))
  assert.deepEqual((await methods.getSettings()).lastModelSetDir, sets[0].dir)

  const [summary] = await methods.listSources()
  assert.deepEqual(summary.counts, { pending: 0, done: 8, failed: 1, skipped: 0, total: 9 })
  assert.equal(summary.latestRunId, done.runId)
  const [run] = await methods.listRuns()
  assert.deepEqual([run.id, run.status, run.predictionCount, run.modelSet.manifestId], [done.runId, 'done', 8, 'fixture-nchw'])

  const class3 = await methods.listImages(query(source.id, { filter: { ...query(source.id).filter, classIds: [3] } }))
  assert.deepEqual(class3.rows.map((r) => r.name), ['coil-0002.jpg', 'coil-0006.jpg'])
  assert.equal(class3.total, 2)
  assert.deepEqual(class3.classes.map((c) => c.id), [1, 2, 3, 4])
  const row = class3.rows[0]
  assert.equal(row.classAreasPx!.length, 4)
  assert.ok(row.classAreasPx![2] > 0 && row.classAreasPx!.filter((a) => a > 0).length === 1)
  assert.equal(row.defectAreaPx, row.classAreasPx![2])

  const errors = await methods.listImages(query(source.id, { filter: { ...query(source.id).filter, hasError: true } }))
  assert.deepEqual(errors.rows.map((r) => [r.name, r.status]), [['broken.jpg', 'failed']])
  assert.ok(errors.rows[0].error!.length > 0)
  const page = await methods.listImages(query(source.id, { offset: 3, limit: 2, sort: { key: 'name', isDescending: true } }))
  assert.deepEqual([page.total, page.offset, page.rows.map((r) => r.name)], [9, 3, ['coil-0004.jpg', 'coil-0003.jpg']])
})

test('binary data is served by id from the database, never by a path from the caller', async () => {
  const { rows } = await service.methods.listImages(query(store.sources.list()[0].id, { filter: { ...query(0).filter, classIds: [3] } }))
  const { id, predictionId, classAreasPx } = rows[0]
  const respond = (path: string) => service.resources.respond(path)

  const image = await respond(`image/${id}`)
  assert.deepEqual([image.status, image.contentType], [200, 'image/jpeg'])
  assert.deepEqual(Buffer.from(image.body), readFileSync(join(folder, 'coil-0002.jpg')))
  const thumb = await respond(`thumb/${id}`)
  assert.deepEqual([thumb.contentType, (await sharp(thumb.body).metadata()).width], ['image/jpeg', 480])
  const probs = await respond(`probs/${predictionId}`)
  assert.deepEqual([probs.body.length, probs.headers['x-coil-shape']], [4 * 128 * 800, '4x128x800'])
  const mask = await respond(`mask/${id}/3`)
  const meta = await sharp(mask.body).metadata()
  assert.deepEqual([mask.contentType, meta.width, meta.height, meta.channels], ['image/png', 1600, 256, 1])
  const data = await sharp(mask.body).extractChannel(0).raw().toBuffer()
  assert.equal(data.filter((v) => v === 255).length, classAreasPx![2])

  assert.equal((await respond('thumb/99999')).status, 404)
  assert.equal((await respond('mask/1/9')).status, 404)
  for (const bad of ['../etc/passwd', 'image/../../x', 'image/0', 'image/1.5', 'mask/1', 'file/1']) assert.equal((await respond(bad)).status, 400, bad)
})

test('calls by name are checked against the contract and their schemas', async () => {
  assert.deepEqual(await dispatch(service.methods, 'deleteEverything', {}), { ok: false, error: 'unknown method deleteEverything' })
  assert.deepEqual(await dispatch(service.methods, 'toString', undefined), { ok: false, error: 'unknown method toString' })
  const bad = await dispatch(service.methods, 'setSettings', { theme: 'purple' })
  assert.equal(bad.ok, false)
  const settings = await dispatch(service.methods, 'setSettings', { theme: 'light', authorName: 'A. Inspector' })
  assert.equal(settings.ok && (settings.value as { theme: string }).theme, 'light')
  assert.deepEqual((await dispatch(service.methods, 'pauseJob', { jobId: 42 })), { ok: false, error: 'no job 42' })
})
