// A real database for export tests: block images run through the job queue with the nchw fixture
// models (image i has one block of class (i mod 4) + 1), then human work on top: a brush edit, an
// edit that overlaps another class, an eraser edit, and reviews of every status.
import { join } from 'node:path'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

export interface ReviewedRun {
  readonly store: Store
  readonly folder: string
  readonly dbPath: string
  readonly sourceId: number
  readonly runId: number
  /** By relative path. */
  readonly imageIds: ReadonlyMap<string, number>
}

/** A column-major run at column `col`, rows [top, top + length): Kaggle RLE at 256 rows. */
export function columnRun(col: number, top: number, length: number): string {
  return `${col * 256 + top + 1} ${length}`
}

export async function makeReviewedRun(count = 8): Promise<ReviewedRun> {
  const folder = tempDir()
  const names = await writeBlockImages(folder, count)
  const dbPath = join(tempDir(), 'export.db')
  const store = openStore(dbPath)
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  if (job.state !== 'done') throw new Error(`fixture run ended ${job.state}: ${job.message}`)
  const runId = job.runId!
  const imageIds = new Map(store.images.listBySource(job.sourceId!).map((i) => [i.relativePath, i.id]))
  const id0 = imageIds.get(names[0])! // class 1 block at rows 0–63, columns 0–199
  const id1 = imageIds.get(names[1])! // class 2
  const id2 = imageIds.get(names[2])! // class 3
  const id3 = imageIds.get(names[3])! // class 4
  const model = (imageId: number, classId: number) => store.masks.fromRun(runId, imageId).find((m) => m.classId === classId)!.rle
  // A class-3 scratch drawn across the class-1 block: 20 pixels where two classes overlap.
  store.edits.record({ imageId: id0, classId: 3, beforeRle: '', afterRle: columnRun(10, 0, 20), tool: 'brush', author: 'j.novak', runId })
  store.edits.record({ imageId: id1, classId: 2, beforeRle: model(id1, 2), afterRle: '1 10', tool: 'brush', author: 'j.novak', runId })
  store.edits.record({ imageId: id3, classId: 4, beforeRle: model(id3, 4), afterRle: '', tool: 'eraser', author: 'm.schmidt', runId })
  store.reviews.record({ imageId: id0, status: 'accepted', author: 'j.novak' })
  store.reviews.record({ imageId: id1, status: 'flagged', author: 'j.novak', note: 'check, "edge" crack' })
  store.reviews.record({ imageId: id2, status: 'accepted', author: 'm.schmidt' })
  store.reviews.record({ imageId: id2, status: 'rejected', author: 'm.schmidt', note: 'oil stain, not a scratch' })
  return { store, folder, dbPath, sourceId: job.sourceId!, runId, imageIds }
}
