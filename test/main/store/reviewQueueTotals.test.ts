// Review's queue totals, read without counting rows at every window, equal the rows counted in
// the file: with the served margins complete, topped up, after a result is replaced, and while an
// earlier profile's margins are served because the new profile's are still being computed.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { applyProfile, marginProfile, prepareMargins, profileForRun, saveProfile } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { tempDbPath } from './fixtures.ts'
import { addPredictions, countOnFile, fillRun, predict } from './reviewQueueFixture.ts'

const SERVED = "SELECT generation FROM review_margin_sets WHERE run_id = ? AND state = 'served'"

function assertTotals(store: Store, path: string, runId: number, sourceId: number, label: string): number {
  const generation = countOnFile(path, SERVED, runId)
  const margins = countOnFile(path, 'SELECT count(*) FROM review_margins WHERE run_id = ? AND generation = ?', runId, generation)
  const predictions = countOnFile(path, 'SELECT count(*) FROM predictions WHERE run_id = ?', runId)
  const total = (order: 'uncertainty' | 'name' | 'unreviewedFirst') => store.reviewQueue.window({ runId, sourceId, order, offset: 0, limit: 5 }).total
  assert.equal(total('uncertainty'), margins, `${label}: the uncertainty order's total`)
  assert.equal(total('name'), predictions, `${label}: the name order's total`)
  assert.equal(total('unreviewedFirst'), predictions, `${label}: the unreviewed-first order's total`)
  return margins
}

test('queue totals equal the rows in the file: complete, partial, replaced and previous-generation margins', () => {
  const path = tempDbPath()
  const store = openStore(path)
  const { sourceId, runId, ids } = fillRun(store, 300)
  const profile = marginProfile(store, runId)

  assert.equal(store.reviewQueue.window({ runId, sourceId, order: 'uncertainty', offset: 0, limit: 5 }).total, 0, 'nothing served yet')
  while (prepareMargins(store, runId, 100) > 0);
  assert.ok(store.reviewQueue.progress(runId, profile).isComplete)
  assert.equal(assertTotals(store, path, runId, sourceId, 'complete'), 300)

  addPredictions(store, sourceId, runId, 200, 1000)
  assert.equal(assertTotals(store, path, runId, sourceId, 'new results not yet measured'), 300)
  prepareMargins(store, runId, 120)
  assert.equal(assertTotals(store, path, runId, sourceId, 'partial'), 420)
  prepareMargins(store, runId, 50)
  assert.equal(assertTotals(store, path, runId, sourceId, 'partial, topped up'), 470)
  while (prepareMargins(store, runId, 100) > 0);
  assert.equal(assertTotals(store, path, runId, sourceId, 'new results measured'), 500)

  predict(store, runId, ids[10], 5000, 9000) // a changed file: its margin is measured again
  assert.equal(assertTotals(store, path, runId, sourceId, 'a result replaced'), 500)
  while (prepareMargins(store, runId, 100) > 0);
  assert.equal(assertTotals(store, path, runId, sourceId, 'a result replaced and measured'), 500)

  saveProfile(store, { ...profileForRun(store, runId), name: 'strict', gate: 0.3, upper: [0.2, 0.4, 0.6, 0.8] })
  applyProfile(store, runId, 'strict')
  prepareMargins(store, runId, 50)
  addPredictions(store, sourceId, runId, 25, 2000)
  assert.equal(store.reviewQueue.progress(runId, marginProfile(store, runId)).served, 'previous')
  assert.equal(assertTotals(store, path, runId, sourceId, 'previous generation served'), 500)
  while (prepareMargins(store, runId, 100) > 0);
  assert.equal(store.reviewQueue.progress(runId, marginProfile(store, runId)).served, 'current')
  assert.equal(assertTotals(store, path, runId, sourceId, 'new generation served'), 525)
  store.close()
})
