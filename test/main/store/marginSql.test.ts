// The uncertainty rule computed in SQL (as Review's margins are stored) equals decisionMargin, the
// rule in TypeScript, bit for bit, on predictions stored through the store: gates null or not,
// images gated out, exactly at the gate, with and without disagreement, no class stats at all,
// under profiles with and without a gate.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openStore } from '../../../src-main/store/index.ts'
import { decisionMargin } from '../../../src-shared/uncertainty.ts'
import { seed, tempDbPath } from './fixtures.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')

test('margins computed in SQL equal decisionMargin on stored predictions', () => {
  const store = openStore(tempDbPath())
  const { source, run, image } = seed(store)
  const imageIds = [image.id]
  for (let k = 1; k < 300; k++) imageIds.push(store.images.upsert({ sourceId: source.id, relativePath: `c${k}.jpg`, byteSize: 1, mtimeMs: 1, sha256: sha(k + 1) }).image.id)
  imageIds.forEach((imageId, k) => {
    const gate = k % 11 === 0 ? null : k % 13 === 0 ? 0.5 : ((k * 7919) % 1000) / 997
    store.predictions.save({
      runId: run.id,
      imageId,
      imageSha256: sha(k + 1),
      gateProbability: gate,
      gatePassed: gate === null || gate >= 0.5,
      classStats: k % 17 === 0 ? [] : [1, 2, 3, 4].map((classId) => ({
        classId,
        areaImagePx: 0,
        maxProbability: k % 19 === 0 ? 0 : Math.sin(k * classId) ** 2,
        disagreement: (k + classId) % 3 === 0 ? null : ((k * classId) % 101) / 337,
      })),
      probMaps: null,
      masks: [],
    })
  })
  const profiles = [
    { gate: 0.5, upper: [0.5, 0.5, 0.5, 0.5] },
    { gate: 0.1234567, upper: [0.1, 0.3333333333333333, 0.7, 0.95] },
    { gate: null, upper: [0.42, 0.58, 0.61, 0.2] },
  ]
  for (const profile of profiles) {
    while (store.reviewQueue.prepareMargins(run.id, profile, 64) > 0);
    const stored = store.reviewQueue.window({ runId: run.id, sourceId: source.id, order: 'name', offset: 0, limit: 1000 }).rows
    assert.equal(stored.length, 300)
    for (const row of stored) {
      const prediction = store.predictions.get(run.id, row.imageId)!
      assert.equal(row.margin, decisionMargin(prediction, { name: 'p', lower: [], minAreaModelPx: [], ...profile }), `image ${row.imageId} under ${JSON.stringify(profile)}`)
    }
  }
  store.close()
})
