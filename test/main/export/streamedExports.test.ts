// Exports written a piece at a time (bounded memory at any size) give byte for byte what the
// whole-selection formatters give: Severstal CSV in both forms, COCO JSON and the reviews CSV,
// with model and reviewed masks and every policy for rejected images, across many pages; mask PNG
// folders and their masks.json likewise.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import {
  cocoJsonPieces,
  formatReviewsCsv,
  formatSelectionCsv,
  reviewsCsvPieces,
  runExport,
  selectForExport,
  severstalCsvPieces,
  streamSelection,
  toCocoDataset,
  type SelectionOptions,
} from '../../../src-main/export/index.ts'
import { classMaskFileName, indexedMaskFileName, MASK_SIDECAR, OVERLAP_RULE, writeClassMaskPngs, writeIndexedMaskPngs } from '../../../src-main/export/maskPngExport.ts'
import { tempDir } from '../../helpers/images.ts'
import { makeReviewedRun, type ReviewedRun } from './reviewedRun.ts'

let fixture: ReviewedRun
before(async () => {
  fixture = await makeReviewedRun(8)
})
after(() => fixture.store.close())

const OPTIONS: [string, Partial<SelectionOptions>][] = [
  ['model masks', { masks: 'model' }],
  ['reviewed masks, rejected left out', { masks: 'reviewed' }],
  ['reviewed masks, rejected emptied', { masks: 'reviewed', rejected: 'empty' }],
  ['model masks, rejected left out', { masks: 'model', rejected: 'exclude' }],
]

test('streamed CSV, COCO and reviews equal the whole-selection output, read three images per statement', () => {
  const now = new Date('2026-01-02T03:04:05Z')
  for (const [label, option] of OPTIONS) {
    const options = { sourceId: fixture.sourceId, runId: fixture.runId, ...option }
    const whole = selectForExport(fixture.store, options)
    assert.ok(whole.images.length > 3, `${label}: more images than a page`)
    const streamed = streamSelection(fixture.store, options, 3)
    for (const format of ['kaggle2019', 'kaggle'] as const) {
      assert.equal([...severstalCsvPieces(streamed, format)].join(''), formatSelectionCsv(whole, format), `${label}: ${format} CSV`)
    }
    const written = { nonEmptyMasks: 0 }
    const coco = [...cocoJsonPieces(streamed, now, written)].join('')
    const dataset = toCocoDataset(whole, now)
    assert.equal(coco, `${JSON.stringify(dataset)}\n`, `${label}: COCO`)
    assert.equal(written.nonEmptyMasks, dataset.annotations.length)
    assert.ok(dataset.annotations.length > 0)
    assert.equal([...reviewsCsvPieces(fixture.store, streamed)].join(''), formatReviewsCsv(fixture.store, whole), `${label}: reviews`)
    assert.deepEqual(streamed.counts, { images: whole.images.length, rejectedImages: whole.rejectedImages }, `${label}: counts`)
  }
})

test('runExport streams csv and coco to the file and reports what it wrote', async () => {
  const dir = tempDir()
  const csv = await runExport(fixture.store, { what: 'csv', out: join(dir, 'sub.csv'), sourceId: fixture.sourceId, runId: fixture.runId, masks: 'reviewed' })
  const whole = selectForExport(fixture.store, { sourceId: fixture.sourceId, runId: fixture.runId, masks: 'reviewed' })
  assert.equal(readFileSync(join(dir, 'sub.csv'), 'utf8'), formatSelectionCsv(whole, 'kaggle2019'))
  assert.deepEqual([csv.images, csv.rejectedImages], [whole.images.length, 1])
  const now = new Date('2026-01-02T03:04:05Z')
  const coco = await runExport(fixture.store, { what: 'coco', out: join(dir, 'c.json'), sourceId: fixture.sourceId, runId: fixture.runId, now })
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')), toCocoDataset(selectForExport(fixture.store, { sourceId: fixture.sourceId, runId: fixture.runId }), now))
  assert.equal(coco.nonEmptyMasks, JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')).annotations.length)
})

test('a page of images reads its reviews and model masks in one statement each: the same records as image by image', () => {
  const ids = [...fixture.imageIds.values()]
  const reviews = fixture.store.reviews.currentForImages(ids)
  const masks = fixture.store.masks.fromRunForImages(fixture.runId, ids)
  for (const id of ids) {
    assert.deepEqual(reviews.get(id), fixture.store.reviews.current(id))
    assert.deepEqual(masks.get(id), fixture.store.masks.fromRun(fixture.runId, id))
  }
  assert.ok([...reviews.values()].some((r) => r.status === 'rejected'), 'the latest of two reviews is the one read')
})

test('mask folders written from the streamed selection: a file per image (and class), and masks.json exactly as the whole selection would write it', async () => {
  for (const [label, option] of OPTIONS) {
    const options = { sourceId: fixture.sourceId, runId: fixture.runId, ...option }
    const whole = selectForExport(fixture.store, options)
    const header = {
      runId: whole.run.id,
      modelSet: { id: whole.modelSet.manifestId, version: whole.modelSet.version, manifestSha256: whole.modelSet.manifestSha256 },
      masks: whole.maskSource,
      profile: whole.profile?.name ?? null,
      rejected: whole.rejected,
      classes: whole.classes,
      images: whole.images.map((e) => e.image.relativePath),
    }
    const perClass = tempDir()
    const classSummary = await writeClassMaskPngs(perClass, streamSelection(fixture.store, options, 3))
    assert.equal(readFileSync(join(perClass, MASK_SIDECAR), 'utf8'), `${JSON.stringify({ what: 'png', ...header }, null, 2)}\n`, `${label}: png sidecar`)
    assert.deepEqual(readdirSync(perClass).sort(), [MASK_SIDECAR, ...whole.images.flatMap((e) => e.masks.map((m) => classMaskFileName(e.image.relativePath, m.classId)))].sort())
    assert.equal(classSummary.nonEmptyMasks, whole.images.flatMap((e) => e.masks).filter((m) => m.rle !== '').length)
    const indexed = tempDir()
    await writeIndexedMaskPngs(indexed, streamSelection(fixture.store, options, 3))
    const sidecar = JSON.parse(readFileSync(join(indexed, MASK_SIDECAR), 'utf8'))
    assert.equal(readFileSync(join(indexed, MASK_SIDECAR), 'utf8'), `${JSON.stringify({ what: 'indexed-png', ...header, overlapRule: OVERLAP_RULE, overlaps: sidecar.overlaps }, null, 2)}\n`, `${label}: indexed sidecar`)
    assert.deepEqual(readdirSync(indexed).sort(), [MASK_SIDECAR, ...whole.images.map((e) => indexedMaskFileName(e.image.relativePath))].sort())
  }
})
