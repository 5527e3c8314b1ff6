// A truth.csv that cannot be used turns metrics off with one message naming the file and the
// problem; every image still opens for review. A real run over real images and a real store.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { profileForRun, ReviewService } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

let store: Store
let folder: string
let runId: number
let sourceId: number

before(async () => {
  folder = tempDir()
  await writeBlockImages(folder, 3)
  store = openStore(join(tempDir(), 's.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  ;({ runId, sourceId } = queue.get(id) as { runId: number; sourceId: number })
})

/** What Review shows for every image and for the run with this truth.csv in the folder. */
function reviewWith(truth: string | null) {
  rmSync(join(folder, 'truth.csv'), { force: true })
  if (truth !== null) writeFileSync(join(folder, 'truth.csv'), truth)
  const service = new ReviewService(store)
  const images = store.images.listBySource(sourceId).map((image) => service.getImage(runId, image.id))
  const metrics = service.metrics(runId, sourceId, profileForRun(store, runId))
  return { images, metrics }
}

const file = () => join(folder, 'truth.csv')

test('a malformed truth.csv: each image opens, without truth, and the problem is named with file:line', () => {
  const cases: [string, RegExp][] = [
    ['ImageId,ClassId,EncodedPixels\ncoil-0000.jpg,1,1 5\ncoil-0001.jpg,x,1 5\n', /truth\.csv:3: class "x" is not a positive integer/],
    ['Image,Pixels\na,1\n', /truth\.csv: unknown header "Image,Pixels"/],
    ['ImageId,ClassId,EncodedPixels\ncoil-0000.jpg,1,1 5\n"unclosed,1,1 5\n', /truth\.csv: not a readable CSV/],
    ['ImageId,ClassId,EncodedPixels\ncoil-0000.jpg,1,1 5 7\n', /truth\.csv: coil-0000\.jpg class 1: RLE has an odd number of values \(3\)/],
    ['ImageId,ClassId,EncodedPixels\ncoil-0001.jpg,2,9 4 3 2\n', /truth\.csv: coil-0001\.jpg class 2: RLE pair 2 \(start 3\) is unsorted or overlaps/],
  ]
  for (const [text, problem] of cases) {
    const { images, metrics } = reviewWith(text)
    assert.equal(images.length, 3)
    for (const view of images) {
      assert.equal(view.truthRles, null)
      assert.ok(view.truthProblem?.startsWith(file()), view.truthProblem ?? 'no problem')
      assert.match(view.truthProblem!, problem)
    }
    assert.equal(metrics.scores, null)
    assert.match(metrics.truthProblem!, problem)
  }
})

test('a truth mask past its image: that image and the metrics say so; the others open with truth', () => {
  const { images, metrics } = reviewWith('ImageId,ClassId,EncodedPixels\ncoil-0000.jpg,1,409600 5\ncoil-0001.jpg,1,1 5\n')
  const [first, second] = images
  assert.equal(first.truthRles, null)
  assert.equal(first.truthProblem, `${file()}: coil-0000.jpg class 1: RLE pair 1 runs past the 256×1600 image`)
  assert.deepEqual(second.truthRles, ['1 5', '', '', ''])
  assert.equal(metrics.scores, null)
  assert.equal(metrics.truthProblem, `${file()}: coil-0000.jpg class 1: RLE pair 1 runs past the 256×1600 image`)
})

test('a FIFO named truth.csv is refused at once; a good file is used again', () => {
  rmSync(file(), { force: true })
  execFileSync('mkfifo', [file()])
  const service = new ReviewService(store)
  const image = store.images.listBySource(sourceId)[0]
  const view = service.getImage(runId, image.id)
  assert.equal(view.truthProblem, `${file()}: not a regular file`)
  const { images, metrics } = reviewWith('ImageId,ClassId,EncodedPixels\ncoil-0000.jpg,1,1 5\n')
  assert.deepEqual(images[0].truthRles, ['1 5', '', '', ''])
  assert.equal(images[0].truthProblem, null)
  assert.equal(metrics.scores!.length, 4)
  assert.equal(reviewWith(null).metrics.scores, null, 'no truth file: no metrics and no problem')
  assert.equal(reviewWith(null).metrics.truthProblem, null)
})
