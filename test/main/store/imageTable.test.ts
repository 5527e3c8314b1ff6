// The Library's image table: paging, filters and sort orders in SQL, against a :memory: store.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ImageTableQuery, Store } from '../../../src-main/store/index.ts'
import { memoryStore, seed } from './fixtures.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')

/** Six images: four predicted (gate p, class areas), one failed, one pending. */
function populate(store: Store) {
  const { source, run } = seed(store) // a.jpg, not predicted: stays pending
  const predicted: [string, number, number[]][] = [
    ['b.jpg', 0.9, [0, 0, 500, 0]],
    ['c.jpg', 0.2, [0, 0, 0, 0]],
    ['d.jpg', 0.95, [100, 0, 40, 0]],
    ['e.jpg', 0.6, [0, 3000, 0, 0]],
  ]
  predicted.forEach(([name, gate, areas], k) => {
    const { image } = store.images.upsert({ sourceId: source.id, relativePath: name, byteSize: 10, mtimeMs: 1, sha256: sha(k + 1) })
    store.predictions.save({
      runId: run.id,
      imageId: image.id,
      imageSha256: sha(k + 1),
      gateProbability: gate,
      gatePassed: gate >= 0.5,
      classStats: areas.map((a, c) => ({ classId: c + 1, areaImagePx: a, maxProbability: a > 0 ? 0.9 : 0.1, disagreement: null })),
      probMaps: null,
      masks: [],
    })
    store.images.markDone(image.id, { width: 1600, height: 256 })
  })
  const { image: broken } = store.images.upsert({ sourceId: source.id, relativePath: 'f.jpg', byteSize: 3, mtimeMs: 1, sha256: null })
  store.images.markFailed(broken.id, 'truncated JPEG')
  return { source, run }
}

test('pages, filters and sorts a source in SQL', () => {
  const store = memoryStore()
  const { source, run } = populate(store)
  const base: ImageTableQuery = { sourceId: source.id, runId: run.id, offset: 0, limit: 100, sort: { key: 'name', isDescending: false } }
  const names = (query: Partial<ImageTableQuery>) => store.imageTable.page({ ...base, ...query }).rows.map((r) => r.image.relativePath)
  const cases: [string, Partial<ImageTableQuery>, string[]][] = [
    ['by name', {}, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg', 'f.jpg']],
    ['by name, descending', { sort: { key: 'name', isDescending: true } }, ['f.jpg', 'e.jpg', 'd.jpg', 'c.jpg', 'b.jpg', 'a.jpg']],
    ['gate p descending, unpredicted last', { sort: { key: 'gateProbability', isDescending: true } }, ['d.jpg', 'b.jpg', 'e.jpg', 'c.jpg', 'a.jpg', 'f.jpg']],
    ['gate p ascending, unpredicted still last', { sort: { key: 'gateProbability', isDescending: false } }, ['c.jpg', 'e.jpg', 'b.jpg', 'd.jpg', 'a.jpg', 'f.jpg']],
    ['defect area descending', { sort: { key: 'defectArea', isDescending: true } }, ['e.jpg', 'b.jpg', 'd.jpg', 'c.jpg', 'a.jpg', 'f.jpg']],
    ['status: failed, pending, done', { sort: { key: 'status', isDescending: false } }, ['f.jpg', 'a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']],
    ['class 3 present', { classIds: [3] }, ['b.jpg', 'd.jpg']],
    ['class 1 or 2 present', { classIds: [1, 2] }, ['d.jpg', 'e.jpg']],
    ['status failed or pending', { statuses: ['failed', 'pending'] }, ['a.jpg', 'f.jpg']],
    ['gate p in [0.5, 0.9]', { gateMin: 0.5, gateMax: 0.9 }, ['b.jpg', 'e.jpg']],
    ['errors only', { hasError: true }, ['f.jpg']],
    ['no errors', { hasError: false }, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']],
    ['empty lists filter nothing', { statuses: [], classIds: [] }, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg', 'f.jpg']],
    ['second page of two', { offset: 2, limit: 2 }, ['c.jpg', 'd.jpg']],
    ['no run joins no predictions', { runId: null, classIds: [3] }, []],
  ]
  for (const [name, query, expected] of cases) assert.deepEqual(names(query), expected, name)

  const page = store.imageTable.page({ ...base, classIds: [3], limit: 1 })
  assert.equal(page.total, 2, 'total counts every match, not the page')
  const row = page.rows[0]
  assert.deepEqual(
    { gate: row.gateProbability, passed: row.gatePassed, area: row.defectAreaPx, areas: row.classStats!.map((c) => c.areaImagePx) },
    { gate: 0.9, passed: true, area: 500, areas: [0, 0, 500, 0] },
  )
  const pending = store.imageTable.page({ ...base, limit: 1 }).rows[0]
  assert.deepEqual([pending.predictionId, pending.gateProbability, pending.classStats, pending.defectAreaPx], [null, null, null, null])
})

test('status counts per source and the latest run of a source', () => {
  const store = memoryStore()
  const { source, run } = populate(store)
  const other = store.sources.ensure('/data/other')
  store.images.upsert({ sourceId: other.id, relativePath: 'x.jpg', byteSize: 1, mtimeMs: 1, sha256: null })
  assert.deepEqual(store.imageTable.statusCounts(), [
    { sourceId: source.id, status: 'done', count: 4 },
    { sourceId: source.id, status: 'failed', count: 1 },
    { sourceId: source.id, status: 'pending', count: 1 },
    { sourceId: other.id, status: 'pending', count: 1 },
  ])
  assert.equal(store.imageTable.latestRunId(source.id), run.id)
  assert.equal(store.imageTable.latestRunId(other.id), undefined)
})

test('a run that forced stage 2 for one image is not the latest run of its source; a newer full run is', () => {
  const store = memoryStore()
  const { source, run } = populate(store)
  const image = store.images.findByPath(source.id, 'c.jpg')!
  const predict = (runId: number) =>
    store.predictions.save({ runId, imageId: image.id, imageSha256: sha(2), gateProbability: 0.2, gatePassed: true, classStats: [], probMaps: null, masks: [] })
  const forced = store.runs.create({ ...store.runs.get(run.id)!, sourceId: source.id, gateThreshold: 0, kind: 'forced', providerRequested: 'cpu', appVersion: '0.1.0' })
  predict(forced.id)
  assert.equal(store.imageTable.latestRunId(source.id), run.id)
  const next = store.runs.create({ ...store.runs.get(run.id)!, sourceId: source.id, gateThreshold: 0.7, providerRequested: 'cpu', appVersion: '0.1.0' })
  predict(next.id)
  assert.equal(store.imageTable.latestRunId(source.id), next.id)
})
