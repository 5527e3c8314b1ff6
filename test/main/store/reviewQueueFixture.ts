// A run of many predictions for Review's queue tests, written through the store as a job writes
// them, with margins spread so that the uncertainty order is far from the file order.
import Database from 'better-sqlite3'
import type { Store } from '../../../src-main/store/index.ts'
import { seed } from './fixtures.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')

/** Saves (or replaces, with other `content`) the run's prediction of an image. */
export function predict(store: Store, runId: number, imageId: number, k: number, content = k): void {
  const gate = ((k * 37) % 100) / 100
  store.predictions.save({
    runId,
    imageId,
    imageSha256: sha(content + 1),
    gateProbability: gate,
    gatePassed: gate >= 0.8,
    classStats: [1, 2, 3, 4].map((classId) => ({ classId, areaImagePx: 0, maxProbability: ((k * classId * 13) % 97) / 97, disagreement: k % 5 === 0 ? 0.05 : null })),
    probMaps: null,
    masks: [],
  })
}

/** Adds `count` images with a prediction each to the run; returns their ids. */
export function addPredictions(store: Store, sourceId: number, runId: number, count: number, first = 0): number[] {
  const ids: number[] = []
  for (let k = first; k < first + count; k++) {
    const { image } = store.images.upsert({ sourceId, relativePath: `coil-${String((k * 7919) % 100_003).padStart(6, '0')}-${k}.jpg`, byteSize: 1, mtimeMs: 1, sha256: sha(k + 1) })
    predict(store, runId, image.id, k)
    ids.push(image.id)
  }
  return ids
}

/** A source with one run of `count` predictions. */
export function fillRun(store: Store, count: number) {
  const { source, run } = seed(store)
  const ids = addPredictions(store, source.id, run.id, count, 1)
  return { sourceId: source.id, runId: run.id, ids }
}

/** Counts on a connection of its own, as a person would check the file. */
export function countOnFile(path: string, sql: string, ...params: unknown[]): number {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare(sql).pluck().get(...params) as number
  } finally {
    db.close()
  }
}
