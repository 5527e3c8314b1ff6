// Truth in coil sub-folders: `synth --coils` writes a truth.csv inside each coil folder, keyed by
// file name. Review's overlay, its metrics and compare's truth all find an image's truth there by
// one rule, over a real synth folder, a real run of the fixture models and a real store.
import assert from 'node:assert/strict'
import { readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { collectPairCounts } from '../../../src-main/compare/pairCounts.ts'
import { resolveSide } from '../../../src-main/compare/compareSide.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { profileForRun, ReviewService } from '../../../src-main/review/index.ts'
import { loadTruth } from '../../../src-main/review/truth.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, tempDir } from '../../helpers/images.ts'

const dir = tempDir()
let store: Store
let runId: number
let sourceId: number

before(async () => {
  const synth = runCli(['synth', dir, '--coils', '2', '--images-per-coil', '3', '--seed', '5'])
  assert.equal(synth.status, 0, synth.stderr)
  store = openStore(join(tempDir(), 'truth.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder: dir, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  ;({ runId, sourceId } = queue.get(id) as { runId: number; sourceId: number })
})

/** The truth rows synth wrote for one coil, by file name. */
function coilTruth(coil: string): Map<string, { classId: number; rle: string }[]> {
  const rows = parseSeverstalCsv(readFileSync(join(dir, coil, 'truth.csv'), 'utf8'), 'truth.csv').masks
  const byName = new Map<string, { classId: number; rle: string }[]>()
  for (const r of rows) byName.set(r.imageId, [...(byName.get(r.imageId) ?? []), { classId: r.classId, rle: r.rle }])
  return byName
}

test('Review overlays each coil image with the truth from its own folder, and the run has metrics', () => {
  const service = new ReviewService(store)
  const images = store.images.listBySource(sourceId)
  assert.equal(images.length, 6)
  let defective = 0
  for (const image of images) {
    const [coil, name] = image.relativePath.split('/')
    const rows = coilTruth(coil).get(name) ?? []
    const view = service.getImage(runId, image.id)
    assert.equal(view.truthProblem, null, image.relativePath)
    assert.deepEqual(view.truthRles, [1, 2, 3, 4].map((c) => rows.find((r) => r.classId === c)?.rle ?? ''), image.relativePath)
    if (rows.length > 0) defective++
  }
  assert.ok(defective > 0, 'synth wrote defects to compare against')
  const metrics = service.metrics(runId, sourceId, profileForRun(store, runId))
  assert.equal(metrics.truthProblem ?? null, null)
  assert.equal(metrics.scores?.length, 4)
})

test('compare reads the same per-folder truth for every image', async () => {
  const source = store.sources.get(sourceId)!
  const side = await resolveSide(store, String(runId), { source, modelRoots: [] })
  const counts = collectPairCounts(store, source, side, side, 'csv')
  assert.equal(counts.truth.kind, 'csv')
  assert.equal(counts.images.length, 6)
  for (const image of counts.images) {
    const [coil, name] = image.name.split('/')
    const rows = coilTruth(coil).get(name) ?? []
    for (const [k, c] of image.classes.entries()) {
      assert.equal(c.truthArea === 0, !rows.some((r) => r.classId === k + 1), `${image.name} class ${k + 1}`)
    }
  }
})

test('a coil truth file is parsed once per version: the same parse until it changes, then the new one is used', () => {
  const file = join(dir, 'C02', 'truth.csv')
  const folder = join(dir, 'C02')
  assert.equal(loadTruth(folder), loadTruth(folder), 'an unchanged file is not parsed again')
  const first = store.images.listBySource(sourceId).find((i) => i.relativePath.startsWith('C02/'))!
  const name = first.relativePath.split('/')[1]
  writeFileSync(file, `ImageId,ClassId,EncodedPixels\n${name},3,1 7\n`)
  utimesSync(file, new Date(), new Date(Date.now() + 5000))
  const view = new ReviewService(store).getImage(runId, first.id)
  assert.deepEqual(view.truthRles, ['', '', '1 7', ''])
  writeFileSync(file, `ImageId,ClassId,EncodedPixels\n${name},1,1 5 9\n`)
  utimesSync(file, new Date(), new Date(Date.now() + 10_000))
  const broken = new ReviewService(store).getImage(runId, first.id)
  assert.equal(broken.truthRles, null)
  assert.equal(broken.truthProblem, `${file}: ${name} class 1: RLE has an odd number of values (3)`)
  const metrics = new ReviewService(store).metrics(runId, sourceId, profileForRun(store, runId))
  assert.equal(metrics.scores, null)
  assert.equal(metrics.truthProblem, `${file}: ${name} class 1: RLE has an odd number of values (3)`)
})
