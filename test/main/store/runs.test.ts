// Model sets, runs (the reproducibility record) and app settings.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { memoryStore, seed } from './fixtures.ts'

test('a model set with the same hashes is registered once; different member hashes make a new one', () => {
  const store = memoryStore()
  const { modelSet } = seed(store)
  const input = { ...modelSet, members: [...modelSet.members] }
  assert.equal(store.modelSets.ensure(input).id, modelSet.id)
  const retrained = store.modelSets.ensure({ ...input, members: [{ stage: 'segmenter', file: 'seg.onnx', sha256: 'e'.repeat(64) }] })
  assert.notEqual(retrained.id, modelSet.id)
  assert.deepEqual(store.modelSets.get(modelSet.id)?.classes.map((c) => c.id), [1, 2, 3, 4])
  assert.deepEqual(store.modelSets.list().map((m) => m.id), [modelSet.id, retrained.id])
})

test('a run records what was asked, what ran and why it fell back, and when it finished', () => {
  const store = memoryStore()
  const { run } = seed(store)
  assert.deepEqual([run.status, run.providerUsed, run.ortVersion, run.finishedAtMs], ['running', null, null, null])
  assert.deepEqual(run.tta, ['none'])
  assert.deepEqual(run.postprocess, { lower: [0.4, 0.5, 0.4, 0.5], minArea: [180, 260, 200, 500], upper: [0.7, 0.7, 0.7, 0.7] })
  const reason = 'CUDA failed to start: libcudnn.so.9: cannot open shared object file'
  const withProvider = store.runs.recordProvider(run.id, { providerUsed: 'cpu', fallbackReason: reason, ortVersion: '1.30.0' })
  assert.deepEqual([withProvider.providerRequested, withProvider.providerUsed, withProvider.providerFallbackReason], ['auto', 'cpu', reason])
  const paused = store.runs.setStatus(run.id, 'paused')
  assert.equal(paused.finishedAtMs, null)
  const done = store.runs.setStatus(run.id, 'done')
  assert.ok(done.finishedAtMs !== null && done.finishedAtMs > done.startedAtMs)
  assert.deepEqual(store.runs.get(run.id), done)
  assert.throws(() => store.runs.setStatus(run.id + 1, 'done'), /no run with id 2/)
  assert.throws(() => store.runs.setStatus(run.id, 'finished' as never), /CHECK constraint failed/)
})

test('findLatestMatching: same settings in any key order find the newest run; other settings find none', () => {
  const store = memoryStore()
  const { run, modelSet, source } = seed(store)
  const settings = {
    sourceId: source.id,
    modelSetId: modelSet.id,
    postprocess: { minArea: [180, 260, 200, 500], upper: [0.7, 0.7, 0.7, 0.7], lower: [0.4, 0.5, 0.4, 0.5] },
    gateThreshold: 0.8,
    tta: ['none'],
  }
  assert.equal(store.runs.findLatestMatching(settings)?.id, run.id)
  const later = store.runs.create({ ...settings, providerRequested: 'cpu', appVersion: '0.1.0' })
  assert.equal(store.runs.findLatestMatching(settings)?.id, later.id)
  assert.equal(store.runs.findLatestMatching({ ...settings, tta: ['none', 'hflip'] }), undefined)
  assert.equal(store.runs.findLatestMatching({ ...settings, gateThreshold: null }), undefined)
  const ungated = store.runs.create({ ...settings, gateThreshold: null, providerRequested: 'cpu', appVersion: '0.1.0' })
  assert.equal(store.runs.findLatestMatching({ ...settings, gateThreshold: null })?.id, ungated.id)
  // A run inspects one folder: another folder with the same settings gets a run of its own.
  const other = store.sources.ensure('/data/other')
  assert.equal(store.runs.findLatestMatching({ ...settings, sourceId: other.id }), undefined)
  assert.equal(store.runs.create({ ...settings, sourceId: other.id, providerRequested: 'cpu', appVersion: '0.1.0' }).sourceId, other.id)
})

test('settings hold JSON values by key, overwritten in place', () => {
  const store = memoryStore()
  assert.equal(store.settings.get('ui.theme'), undefined)
  store.settings.set('ui.theme', 'dark')
  store.settings.set('review.opacity', { 1: 0.5, 2: 0.7 })
  store.settings.set('ui.theme', 'light')
  assert.equal(store.settings.get('ui.theme'), 'light')
  assert.deepEqual(store.settings.all(), { 'review.opacity': { 1: 0.5, 2: 0.7 }, 'ui.theme': 'light' })
  assert.equal(store.settings.delete('ui.theme'), true)
  assert.equal(store.settings.delete('ui.theme'), false)
  assert.throws(() => store.settings.set('x', undefined as never), /not JSON/)
})
