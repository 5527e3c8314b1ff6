// Review's queue served as windows from a real SQLite file: chained windows (each after the last
// item of the one before) and windows jumped to by position both give the queue computed image by
// image, under each order; new and replaced predictions and a newly applied profile are followed.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { warmReview } from '../../../src-main/app/reviewWarmup.ts'
import { applyProfile, marginProfile, prepareMargins, profileForRun, ReviewService, saveMaskEdit, saveProfile, setReview } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import type { ReviewQueueItem, ReviewQueueOrder } from '../../../src-shared/reviewTypes.ts'
import type { ThresholdProfile } from '../../../src-shared/thresholdProfile.ts'
import { REVIEW_SEARCH } from '../../../src-shared/reviewSearch.ts'
import { decisionMargin } from '../../../src-shared/uncertainty.ts'
import { seed, tempDbPath } from './fixtures.ts'
import { predict } from './reviewQueueFixture.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')


function populate(store: Store, count: number) {
  const { source, run, image } = seed(store)
  const ids = [image.id]
  predict(store, run.id, image.id, 0)
  for (let k = 1; k < count; k++) {
    const { image: next } = store.images.upsert({ sourceId: source.id, relativePath: `coil-${String((k * 53) % count).padStart(4, '0')}.jpg`, byteSize: 1, mtimeMs: 1, sha256: sha(k + 1) })
    predict(store, run.id, next.id, k)
    ids.push(next.id)
  }
  ids.filter((_, k) => k % 7 === 0).forEach((imageId, n) => setReview(store, { imageId, status: n % 2 ? 'accepted' : 'flagged', author: 'ana', note: '' }))
  store.images.markDone(ids[3], { width: 1600, height: 256 }) // an edit needs the image's size
  saveMaskEdit(store, { imageId: ids[3], classId: 2, runId: run.id, beforeRle: '', afterRle: '1 4', tool: 'brush', author: 'ana', baseRevision: store.masks.current(ids[3], 2)?.revision ?? 0 })
  return { sourceId: source.id, runId: run.id, ids }
}

/** The queue as it was computed before windows: image by image. */
function reference(store: Store, runId: number, sourceId: number, order: ReviewQueueOrder, profile: ThresholdProfile): ReviewQueueItem[] {
  const items = store.images.listBySource(sourceId).flatMap((image) => {
    const prediction = store.predictions.get(runId, image.id)
    if (!prediction) return []
    return [{
      imageId: image.id,
      relativePath: image.relativePath,
      status: store.reviews.current(image.id)?.status ?? 'unreviewed',
      gatePassed: prediction.gatePassed,
      margin: decisionMargin(prediction, profile),
      hasHumanEdits: store.edits.listForImage(image.id).length > 0,
      predictionId: prediction.id,
      hasProbMaps: prediction.probMapShape !== null,
    }]
  })
  if (order === 'uncertainty') return items.sort((a, b) => a.margin - b.margin || a.imageId - b.imageId)
  if (order === 'unreviewedFirst') return items.sort((a, b) => Number(a.status !== 'unreviewed') - Number(b.status !== 'unreviewed') || (a.relativePath < b.relativePath ? -1 : 1))
  return items
}

function assertWindows(service: ReviewService, store: Store, runId: number, sourceId: number, label: string) {
  const profile = profileForRun(store, runId)
  for (const order of ['uncertainty', 'name', 'unreviewedFirst'] as const) {
    const expected = reference(store, runId, sourceId, order, profile)
    const chained: ReviewQueueItem[] = []
    let afterImageId: number | null = null
    for (let from = 0; from < expected.length + 9; from += 9) {
      const window = service.window({ runId, sourceId, order, from, limit: 9, afterImageId })
      assert.equal(window.total, expected.length, `${label}, ${order}: total`)
      chained.push(...window.items)
      afterImageId = chained.at(-1)?.imageId ?? null
    }
    assert.deepEqual(chained, expected, `${label}, ${order}: chained windows`)
    const jumped = [40, 13, 0].flatMap((from) => service.window({ runId, sourceId, order, from, limit: 9 }).items)
    assert.deepEqual(jumped, [...expected.slice(40, 49), ...expected.slice(13, 22), ...expected.slice(0, 9)], `${label}, ${order}: windows by position`)
    assert.deepEqual(service.queue(runId, sourceId, order), expected, `${label}, ${order}: the whole queue`)
    for (const at of [0, 1, 17, 60, expected.length - 1]) {
      assert.equal(service.locate({ runId, sourceId, order, imageId: expected[at].imageId }), at, `${label}, ${order}: where item ${at} sits`)
    }
    const unreviewed = expected.flatMap((item, position) => (position >= 10 && item.status === 'unreviewed' ? [{ position, item }] : []))
    assert.deepEqual(service.search({ runId, sourceId, order, match: 'unreviewed', from: 10, limit: 25 }).matches, unreviewed.slice(0, 25), `${label}, ${order}: a search`)
    const picked = [expected[7], expected[2], expected[30]]
    assert.deepEqual(service.items(runId, picked.map((i) => i.imageId)), picked, `${label}, ${order}: items by id`)
  }
}

test('review windows equal the queue computed image by image, and follow new results and profiles', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId, ids } = populate(store, 120)
  const service = new ReviewService(store)
  assertWindows(service, store, runId, sourceId, 'first open')

  // A job adds results; a changed file replaces one.
  const { image } = store.images.upsert({ sourceId, relativePath: 'late.jpg', byteSize: 1, mtimeMs: 1, sha256: sha(999) })
  predict(store, runId, image.id, 999)
  predict(store, runId, ids[5], 61, 777)
  assert.equal(store.predictions.get(runId, ids[5])!.gateProbability, ((61 * 37) % 100) / 100, 'the prediction was replaced')
  assertWindows(service, store, runId, sourceId, 'after new results')

  // A stricter profile reorders the queue.
  const strict = { ...profileForRun(store, runId), name: 'strict', gate: 0.3, upper: [0.2, 0.4, 0.6, 0.8] }
  saveProfile(store, strict)
  applyProfile(store, runId, 'strict')
  assertWindows(service, store, runId, sourceId, 'under another profile')
  store.close()
})

test('a window of another source\'s run is empty', () => {
  const store = openStore(tempDbPath())
  const { runId } = populate(store, 10)
  const other = store.sources.ensure('/data/other')
  const window = new ReviewService(store).window({ runId, sourceId: other.id, order: 'uncertainty', from: 0, limit: 5 })
  assert.deepEqual(window, { total: 0, from: 0, items: [] })
  store.close()
})

test('margins computed by the background worker (its own connection) give the same windows, and a replaced result is measured again', async () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId, ids } = populate(store, 120)
  const profile = marginProfile(store, runId)
  assert.ok(prepareMargins(store, runId, 25) > 0)
  // Replaced after its margin was computed: it must be measured again.
  predict(store, runId, ids[3], 88, 555)
  const warmup = warmReview(store)
  while (!store.reviewQueue.progress(runId, profile).isComplete) await new Promise((resolve) => setTimeout(resolve, 20))
  await warmup.stop()
  assert.equal(prepareMargins(store, runId, 1000), 0, 'every margin was computed ahead')
  assertWindows(new ReviewService(store, { inlineRows: 0 }), store, runId, sourceId, 'prepared ahead')
  store.close()
})

test('a window never waits for a whole run: file order, then the previous profile\'s order, until the new one is complete', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId } = populate(store, 120)
  const service = new ReviewService(store, { inlineRows: 10 })
  const first = service.window({ runId, sourceId, order: 'uncertainty', from: 0, limit: 200 })
  assert.equal(first.preparing?.serving, 'file')
  assert.ok(first.preparing!.percent < 100)
  assert.deepEqual(first.items.map((i) => i.imageId), reference(store, runId, sourceId, 'name', profileForRun(store, runId)).map((i) => i.imageId), 'file order meanwhile')
  while (prepareMargins(store, runId, 7) > 0);
  const exact = service.window({ runId, sourceId, order: 'uncertainty', from: 0, limit: 200 })
  assert.equal(exact.preparing, undefined)
  const before = reference(store, runId, sourceId, 'uncertainty', profileForRun(store, runId))
  assert.deepEqual(exact.items, before)

  saveProfile(store, { ...profileForRun(store, runId), name: 'strict', gate: 0.3, upper: [0.2, 0.4, 0.6, 0.8] })
  applyProfile(store, runId, 'strict')
  const during = service.window({ runId, sourceId, order: 'uncertainty', from: 0, limit: 200 })
  assert.equal(during.preparing?.serving, 'previous')
  assert.deepEqual(during.items, before, 'the previous profile\'s complete order meanwhile')
  while (prepareMargins(store, runId, 7) > 0);
  const after = service.window({ runId, sourceId, order: 'uncertainty', from: 0, limit: 200 })
  assert.equal(after.preparing, undefined)
  assert.deepEqual(after.items, reference(store, runId, sourceId, 'uncertainty', profileForRun(store, runId)))
  store.close()
})

test('a search reads a bounded stretch per call and says where it stopped; locate refuses an image of another source', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId, ids } = populate(store, 120)
  const service = new ReviewService(store)
  const all = reference(store, runId, sourceId, 'name', profileForRun(store, runId))
  const flaggedOrAccepted = all.filter((item) => item.status !== 'unreviewed').length
  assert.ok(flaggedOrAccepted > 0)
  // Every match from the start, two at a time, each call going on where the last one stopped.
  const found: number[] = []
  let from = 0
  for (let calls = 0; from < all.length; calls++) {
    assert.ok(calls < all.length, 'the search moves on')
    const result = service.search({ runId, sourceId, order: 'name', match: 'unreviewed', from, limit: 2 })
    assert.equal(result.total, all.length)
    found.push(...result.matches.map((m) => m.position))
    assert.ok(result.scannedTo > from)
    from = result.scannedTo
  }
  assert.deepEqual(found, all.flatMap((item, position) => (item.status === 'unreviewed' ? [position] : [])))
  // A batch to accept: the unreviewed images by name that match, read along the review-state index.
  for (const match of ['gatedOut', 'unreviewed'] as const) {
    const expected = all.filter(REVIEW_SEARCH[match].matches)
    assert.ok(expected.length > 3, `${match}: the data exercises it`)
    assert.deepEqual(service.batchCandidates({ runId, sourceId, match, limit: 1000 }), expected, `${match}: every candidate`)
    assert.deepEqual(service.batchCandidates({ runId, sourceId, match, limit: 3 }), expected.slice(0, 3), `${match}: the first three`)
  }
  assert.equal(service.locate({ runId, sourceId: sourceId + 1, order: 'name', imageId: ids[0] }), null)
  assert.equal(service.locate({ runId, sourceId, order: 'name', imageId: 999_999 }), null)
  store.close()
})

test('the unreviewed-first order, sorted whole, is refused for a run longer than its limit, saying why', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId } = populate(store, 30)
  const service = new ReviewService(store, { unreviewedFirstMax: 29 })
  assert.throws(() => service.window({ runId, sourceId, order: 'unreviewedFirst', from: 0, limit: 5 }), /sorted whole, and this run has 30 results \(at most 29\)/)
  assert.equal(service.window({ runId, sourceId, order: 'name', from: 0, limit: 5 }).total, 30)
  assert.equal(new ReviewService(store, { unreviewedFirstMax: 30 }).window({ runId, sourceId, order: 'unreviewedFirst', from: 0, limit: 5 }).total, 30)
  store.close()
})
