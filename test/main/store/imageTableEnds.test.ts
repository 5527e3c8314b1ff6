// The end of a long list sorted by gate probability or defect area is found from that end: the
// size of the segment of images with a value is kept per run (unfiltered) or counted once per
// change of the library (filtered), never counted again at every page.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ImageSortKey } from '../../../src-shared/apiTypes.ts'
import { openStore, type ImageTableQuery } from '../../../src-main/store/index.ts'
import { tempDbPath } from './fixtures.ts'
import { LIMIT, populate, reference, type Filter } from './imageTableTruth.ts'

test('the last page of a prediction order counts no rows when unfiltered, and counts once per change when filtered', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId, truth } = populate(store)
  const cases: [ImageSortKey, Filter][] = [['gateProbability', {}], ['defectArea', {}], ['gateProbability', { statuses: ['done', 'failed'] }], ['defectArea', { review: 'unreviewed' }]]
  for (const [key, filter] of cases) {
    const expected = reference(truth, key, true, filter)
    const query: ImageTableQuery = { sourceId, runId, offset: expected.length - LIMIT, limit: LIMIT, sort: { key, isDescending: true }, ...filter }
    const label = `${key}, ${JSON.stringify(filter)}`
    const first = store.imageTable.tracePage(query).map((statement) => statement.sql)
    const again = store.imageTable.tracePage(query).map((statement) => statement.sql)
    assert.deepEqual(store.imageTable.page(query).rows.map((row) => row.image.id), expected.slice(-LIMIT), `${label}: the last page`)
    const countsOf = (statements: readonly string[]) => statements.filter((s) => /count\(\*\)/.test(s) && /p\.\w+ IS NOT NULL/.test(s)).length
    if (Object.keys(filter).length === 0) assert.equal(countsOf(first), 0, `${label}: no count of the values`)
    else assert.equal(countsOf(first), 1, `${label}: one count of the values`)
    assert.equal(countsOf(again), 0, `${label}: no count at the next page`)
  }
  store.close()
})

test('under a class filter the area order reads its index from the first defective prediction, not through the clean ones', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId, truth } = populate(store)
  for (const isDescending of [false, true]) {
    const expected = reference(truth, 'defectArea', isDescending, { classIds: [1, 4] })
    for (const offset of [0, expected.length - LIMIT]) {
      const query: ImageTableQuery = { sourceId, runId, offset, limit: LIMIT, sort: { key: 'defectArea', isDescending }, classIds: [1, 4] }
      const plans = store.imageTable.explainPage(query).filter((plan) => plan.includes('predictions_by_area'))
      assert.ok(plans.length > 0)
      for (const plan of plans) assert.match(plan, /defect_area_px>\?/, plan)
      assert.deepEqual(store.imageTable.page(query).rows.map((row) => row.image.id), expected.slice(offset, offset + LIMIT))
    }
  }
  store.close()
})
