// A report of a large source summarises in bounded lists: the summary counts every image and
// mask, the table lists the first 1,000 defective images, the gallery holds the best of all masks
// and the charts an even sample. The source is grown in SQL from a real inspection (as the scale
// bench does) to 9,000 images.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { BestOf, EvenSample } from '../../../src-main/report/boundedLists.ts'
import { maskMoments } from '../../../src-main/report/maskMoments.ts'
import { collectReportData, REPORT_CHART_DEFECTS, REPORT_TABLE_ROWS } from '../../../src-main/report/reportData.ts'
import { streamSelection } from '../../../src-main/export/index.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { tempDir } from '../../helpers/images.ts'
import { copyOfGrownLibrary } from './inspectedRun.ts'

test('bounded lists: the best few as a full sort would pick them, and an even sample', () => {
  const values = Array.from({ length: 5000 }, (_, k) => (k * 7919) % 1013)
  const best = new BestOf<number>(12, (a, b) => b - a)
  values.forEach((v) => best.add(v))
  assert.deepEqual(best.items(), [...values].sort((a, b) => b - a).slice(0, 12))
  const sample = new EvenSample<number>(100)
  for (let k = 0; k < 1000; k++) sample.add(k)
  assert.equal(sample.seen, 1000)
  assert.ok(sample.items().length <= 100 && sample.items().length > 50)
  const strides = sample.items().slice(1).map((v, k) => v - sample.items()[k])
  assert.equal(new Set(strides).size, 1, 'evenly spaced')
})

test('a 9,000-image source: counts from everything, lists bounded', async () => {
  const grown = join(tempDir(), 'grown.db')
  const { folder } = await copyOfGrownLibrary(9000, grown)
  const library = openStore(grown)
  const source = library.sources.findByPath(folder)!
  const runId = library.imageTable.latestRunId(source.id)!
  const data = collectReportData(library, { sourceId: source.id, runId, galleryCount: 6 })

  // The reference, from the whole selection.
  const all: { frame: number; areaPx: number; image: string }[] = []
  const defectiveFrames: number[] = []
  let frame = 0
  for (const { image, masks } of streamSelection(library, { sourceId: source.id, runId, masks: 'reviewed', rejected: 'include' }).images()) {
    const present = masks.filter((m) => m.rle !== '')
    for (const mask of present) all.push({ frame, areaPx: maskMoments(mask.rle, image.height!).area, image: image.relativePath })
    if (present.length > 0) defectiveFrames.push(frame)
    frame++
  }
  assert.equal(data.summary.images, frame)
  assert.equal(data.summary.defectiveImages, defectiveFrames.length)
  assert.ok(defectiveFrames.length > REPORT_TABLE_ROWS, 'more defective images than the table lists')
  assert.deepEqual(data.defectiveImages.map((r) => r.frame), defectiveFrames.slice(0, REPORT_TABLE_ROWS))
  assert.equal(data.limits.totalDefects, all.length)
  assert.equal(data.summary.perClass.reduce((n, p) => n + p.images, 0), all.length)
  if (all.length <= REPORT_CHART_DEFECTS) assert.equal(data.defects.length, all.length)
  else assert.ok(data.defects.length <= REPORT_CHART_DEFECTS && data.defects.length > REPORT_CHART_DEFECTS / 2)
  const largest = [...all].sort((a, b) => b.areaPx - a.areaPx || a.frame - b.frame).slice(0, 6)
  assert.deepEqual(data.gallery.defects.map((d) => [d.frame, d.areaPx]), largest.map((d) => [d.frame, d.areaPx]))
  assert.equal(data.summary.failedImages, 45)
  library.close()
})
