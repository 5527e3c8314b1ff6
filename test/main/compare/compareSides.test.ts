// Comparing real runs of fixture model sets (real ONNX on the CPU, a real SQLite file): the sets
// differ exactly on the images with a halo in a 0.4-threshold class, and two profiles of one run
// compare from the stored maps without running any model.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { compareSides, type CompareResult } from '../../../src-main/compare/index.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { saveProfile } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { COMPARE_IMAGES, writeCompareSource, writeWeakenedSet } from '../../helpers/compareFixture.ts'
import { FIXTURES, tempDir } from '../../helpers/images.ts'

let store: Store
let runA: number
let runB: number
let weakened: string

before(async () => {
  const folder = tempDir()
  await writeCompareSource(folder)
  weakened = writeWeakenedSet(join(tempDir(), 'weakened'))
  store = openStore(join(tempDir(), 'c.db'))
  const queue = new JobQueue(store)
  const run = async (modelsDir: string) => {
    const { id } = queue.enqueue({ folder, modelsDir, provider: 'cpu', threads: 1 })
    await queue.idle()
    return queue.get(id)!.runId!
  }
  runA = await run(join(FIXTURES, 'nhwc'))
  runB = await run(weakened)
  queue.close()
})

const options = { source: null, truth: 'auto' as const, seed: 7, resamples: 300, modelRoots: [] }

test('two model sets: agreement, Dice against truth.csv and the ranking are exact', async () => {
  const result = await compareSides(store, { ...options, a: String(runA), b: String(runB) })
  const c = result.comparison
  assert.equal(c.images, COMPARE_IMAGES)
  assert.equal(result.truth.kind, 'csv')
  // Class 1: images 0 and 4 have the block; on image 0 B adds the 64×100 halo to the 64×200 block.
  assert.deepEqual(c.agreement[0], { classId: 1, imagesEither: 2, imagesBoth: 2, onlyA: 0, onlyB: 0, meanDiceAB: (0.8 + 1) / 2, areaA: 2 * 12800, areaB: 12800 + 19200, areaRatio: 32000 / 25600 })
  assert.equal(c.agreement[1].meanDiceAB, 1, 'class 2: the halo stays out under its 0.5 threshold')
  assert.equal(c.agreement[2].meanDiceAB, 0.9)
  const [c1, c2, c3] = c.truth!.perClass
  assert.equal(c1.a.meanDice, 1)
  assert.equal(c1.b.meanDice, 1 - 0.2 / COMPARE_IMAGES)
  const near = (actual: number, expected: number) => assert.equal(actual.toFixed(12), expected.toFixed(12))
  near(c1.meanDiceDiff!.estimate, -0.2 / COMPARE_IMAGES)
  near(c1.diceOnDefectsDiff!.estimate, -0.1)
  assert.equal(c2.meanDiceDiff!.estimate, 0)
  near(c3.meanDiceDiff!.estimate, -0.2 / COMPARE_IMAGES)
  assert.ok(c1.meanDiceDiff!.low < c1.meanDiceDiff!.estimate && c1.meanDiceDiff!.high <= 0, JSON.stringify(c1.meanDiceDiff))
  near(c.truth!.meanDiceDiff!.estimate, -0.4 / (4 * COMPARE_IMAGES))
  assert.deepEqual(c.ranking.slice(0, 3).map((r) => [r.name, r.score.toFixed(12), r.differingPx, r.worstClassId]), [
    ['coil-0000.png', '0.200000000000', 6400, 1], ['coil-0006.png', '0.200000000000', 6400, 3], ['coil-0001.png', '0.000000000000', 0, null],
  ])
  assert.equal(result.a.run.kind, 'gated')
  assert.equal(result.b.modelSet.manifestId, 'fixture-nhwc-weakened')
})

test('two profiles of one run compare from the stored maps: no model runs, and the looser one adds the halos', async () => {
  saveProfile(store, { name: 'loose', gate: 0.3, upper: [0.7, 0.7, 0.7, 0.7], lower: [0.3, 0.3, 0.3, 0.3], minAreaModelPx: [180, 260, 200, 500] })
  const runsBefore = store.runs.list().length
  const predictionsBefore = store.runs.list().map((r) => store.predictions.get(r.id, 1)?.id)
  const result: CompareResult = await compareSides(store, { ...options, a: `${runA}`, b: `${runA}:loose` })
  assert.equal(store.runs.list().length, runsBefore)
  assert.deepEqual(store.runs.list().map((r) => store.predictions.get(r.id, 1)?.id), predictionsBefore)
  assert.equal(result.b.profile.label, 'loose v1')
  assert.equal(result.a.profile.label, 'run defaults')
  // p = 0.35 in every halo: above 0.3, so images 0, 5 and 6 gain a 64×100 halo (Dice 0.8 each).
  assert.deepEqual(result.comparison.ranking.filter((r) => r.score > 0).map((r) => [r.name, r.worstClassId]), [['coil-0000.png', 1], ['coil-0005.png', 2], ['coil-0006.png', 3]])
  assert.equal(result.comparison.agreement[1].meanDiceAB, 0.9)
})

test('the same seed gives the same intervals', async () => {
  const one = await compareSides(store, { ...options, a: String(runA), b: String(runB) })
  const again = await compareSides(store, { ...options, a: String(runA), b: String(runB) })
  assert.deepEqual(again.comparison.truth, one.comparison.truth)
  assert.deepEqual(again.bootstrap, { seed: 7, resamples: 300, level: 0.95 })
})

test('a model set that has not run is named with how to run it; sides with other classes are refused', async () => {
  const source = store.sources.list()[0]
  await assert.rejects(compareSides(store, { ...options, source, a: String(runA), b: join(FIXTURES, 'nchw'), modelRoots: [FIXTURES] }), /has not run on .*; run it first: coilscope inspect/)
  await assert.rejects(compareSides(store, { ...options, a: String(runA), b: '999' }), /no run 999/)
  await assert.rejects(compareSides(store, { ...options, a: String(runA), b: `${runB}:nope` }), /no threshold profile named "nope"/)
})
