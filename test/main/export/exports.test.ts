// Every export kind against a real database with human work in it: what is written decodes back to
// exactly the masks the database holds — the run's model masks, or the reviewed masks (human
// revisions win, model masks re-derived under the profile) — with rejected images as asked.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import sharp from 'sharp'
import { runExport, type ExportRequest, type MaskSource, type RejectedPolicy } from '../../../src-main/export/index.ts'
import { profileForRun, reviewedMasks, saveProfile } from '../../../src-main/review/index.ts'
import { decodeRle } from '../../../src-shared/rle.ts'
import { parseSeverstalCsv, SEVERSTAL_FORMATS } from '../../../src-shared/severstalCsv.ts'
import { runDefaultProfile, type ThresholdProfile } from '../../../src-shared/thresholdProfile.ts'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'
import { columnRun, makeReviewedRun, type ReviewedRun } from './reviewedRun.ts'

const H = 256
const W = 1600
const CLASS_IDS = [1, 2, 3, 4]
const COLOURS: Record<number, [number, number, number]> = { 0: [0, 0, 0], 1: [0xe6, 0xb8, 0], 2: [0, 0xb3, 0xe6], 3: [0xe6, 0, 0x6b], 4: [0x33, 0xcc, 0x33] }

let fx: ReviewedRun
let names: string[]
let rejectedName: string

before(async () => {
  fx = await makeReviewedRun(8)
  names = [...fx.imageIds.keys()].sort()
  rejectedName = names[2]
})
after(() => fx.store.close())

/** What the database says each (image, class) mask is, by image name then class id. */
function expectedMasks(masks: MaskSource, profile?: ThresholdProfile): Map<string, Map<number, string>> {
  const byImage = new Map<string, Map<number, string>>()
  for (const name of names) {
    const imageId = fx.imageIds.get(name)!
    const rles =
      masks === 'model'
        ? fx.store.masks.fromRun(fx.runId, imageId).map((m) => [m.classId, m.rle] as const)
        : reviewedMasks(fx.store, fx.runId, imageId, profile ?? profileForRun(fx.store, fx.runId)).map((m) => [m.classId, m.rle] as const)
    byImage.set(name, new Map(CLASS_IDS.map((c) => [c, rles.find(([k]) => k === c)?.[1] ?? ''])))
  }
  return byImage
}

function imagesFor(rejected: RejectedPolicy): string[] {
  return rejected === 'exclude' ? names.filter((n) => n !== rejectedName) : names
}

function expectedFor(masks: MaskSource, rejected: RejectedPolicy, profile?: ThresholdProfile): Map<string, Map<number, string>> {
  const all = expectedMasks(masks, profile)
  if (rejected === 'exclude') all.delete(rejectedName)
  if (rejected === 'empty') all.set(rejectedName, new Map(CLASS_IDS.map((c) => [c, ''])))
  return all
}

function assertSameMask(actual: Uint8Array, rle: string, label: string): void {
  const expected = decodeRle(rle, H, W)
  assert.equal(actual.length, expected.length, label)
  const firstDiff = actual.findIndex((v, i) => (v !== 0) !== (expected[i] !== 0))
  assert.equal(firstDiff, -1, `${label}: first differing pixel ${firstDiff}`)
}

async function exportTo(request: Omit<ExportRequest, 'sourceId' | 'runId' | 'out'>, name: string) {
  const out = join(tempDir(), name)
  const result = await runExport(fx.store, { sourceId: fx.sourceId, runId: fx.runId, out, ...request })
  return { out, result }
}

test('the fixture has what the exports must tell apart', () => {
  const model = expectedMasks('model')
  const reviewed = expectedMasks('reviewed')
  assert.notDeepEqual(model, reviewed, 'human edits change the reviewed masks')
  assert.equal(reviewed.get(names[1])!.get(2), '1 10')
  assert.equal(reviewed.get(names[3])!.get(4), '', 'the eraser emptied class 4')
  assert.notEqual(model.get(names[3])!.get(4), '')
  assert.notEqual(model.get(rejectedName)!.get(3), '')
})

const csvCases: { format: (typeof SEVERSTAL_FORMATS)[number]; masks: MaskSource; rejected?: RejectedPolicy; expectRejected: RejectedPolicy }[] = []
for (const format of SEVERSTAL_FORMATS) {
  csvCases.push({ format, masks: 'model', expectRejected: 'include' })
  csvCases.push({ format, masks: 'reviewed', expectRejected: 'exclude' })
  csvCases.push({ format, masks: 'reviewed', rejected: 'empty', expectRejected: 'empty' })
  csvCases.push({ format, masks: 'reviewed', rejected: 'include', expectRejected: 'include' })
}

for (const c of csvCases) {
  test(`CSV ${c.format}, ${c.masks} masks, rejected ${c.rejected ?? `by default (${c.expectRejected})`}: decodes to the database's masks`, async () => {
    const { out, result } = await exportTo({ what: 'csv', format: c.format, masks: c.masks, rejected: c.rejected }, 'masks.csv')
    assert.equal(result.rejected, c.expectRejected)
    const table = parseSeverstalCsv(readFileSync(out, 'utf8'), out)
    assert.equal(table.format, c.format)
    const expected = expectedFor(c.masks, c.expectRejected)
    const written = new Map(table.masks.map((m) => [`${m.imageId}_${m.classId}`, m.rle]))
    if (c.format === 'kaggle2019') assert.deepEqual(table.imageIds, imagesFor(c.expectRejected))
    for (const [image, classes] of expected) {
      for (const [classId, rle] of classes) assertSameMask(decodeRle(written.get(`${image}_${classId}`) ?? '', H, W), rle, `${image} class ${classId}`)
    }
    assert.equal(table.masks.length, [...expected.values()].flatMap((m) => [...m.values()]).filter((r) => r !== '').length)
    assert.equal(result.nonEmptyMasks, table.masks.length)
    assert.equal(result.images, imagesFor(c.expectRejected).length)
  })
}

test('reviewed masks under a named profile are re-derived from the stored maps', async () => {
  const defaults = runDefaultProfile(fx.store.runs.get(fx.runId)!)
  const strict: ThresholdProfile = { ...defaults, name: 'strict', lower: [254 / 255, 0.5, 0.4, 0.5], upper: [254 / 255, 0.7, 0.7, 0.7] }
  saveProfile(fx.store, strict)
  const { out, result } = await exportTo({ what: 'csv', format: 'kaggle', masks: 'reviewed', profileName: 'strict', rejected: 'include' }, 'strict.csv')
  assert.equal(result.profile, 'strict')
  const written = new Map(parseSeverstalCsv(readFileSync(out, 'utf8'), out).masks.map((m) => [`${m.imageId}_${m.classId}`, m.rle]))
  const expected = expectedFor('reviewed', 'include', strict)
  assert.equal(expected.get(names[4])!.get(1), '', 'the strict profile empties class 1')
  assert.equal(expected.get(names[0])!.get(3), columnRun(10, 0, 20), 'the human mask survives any profile')
  for (const [image, classes] of expected) for (const [classId, rle] of classes) assert.equal(written.get(`${image}_${classId}`) ?? '', rle)
  await assert.rejects(exportTo({ what: 'csv', masks: 'reviewed', profileName: 'nope' }, 'x.csv'), /no threshold profile named "nope"; profiles: "run defaults", "strict@1"/)
  await assert.rejects(exportTo({ what: 'csv', masks: 'model', profileName: 'strict' }, 'x.csv'), /applies to reviewed masks only/)
})

test('per-class PNGs: one 1-bit 1600×256 PNG per image and class, decoding to the same pixels as the RLE', async () => {
  const { out, result } = await exportTo({ what: 'png', masks: 'reviewed' }, 'class-pngs')
  const expected = expectedFor('reviewed', 'exclude')
  const files = readdirSync(out).sort()
  assert.equal(files.length, expected.size * 4 + 1)
  assert.equal(result.files, files.length)
  assert.ok(files.includes('masks.json'))
  for (const [image, classes] of expected) {
    for (const [classId, rle] of classes) {
      const path = join(out, `${image}_${classId}.png`)
      const bytes = readFileSync(path)
      assert.deepEqual([bytes[24], bytes[25]], [1, 0], `${image}_${classId}.png is 1-bit greyscale`)
      const { data, info } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true })
      assert.deepEqual([info.width, info.height], [W, H])
      assertSameMask(data, rle, `${image}_${classId}.png`)
    }
  }
  const sidecar = JSON.parse(readFileSync(join(out, 'masks.json'), 'utf8'))
  assert.equal(sidecar.masks, 'reviewed')
  assert.equal(sidecar.rejected, 'exclude')
  assert.deepEqual(sidecar.images, imagesFor('exclude'))
})

test('indexed PNGs: pixel value = class id in a palette of the class colours; the higher class wins an overlap, and the sidecar says where', async () => {
  const { out } = await exportTo({ what: 'indexed-png', masks: 'reviewed', rejected: 'include' }, 'indexed')
  const expected = expectedFor('reviewed', 'include')
  for (const [image, classes] of expected) {
    const bytes = readFileSync(join(out, `${image}.png`))
    assert.deepEqual([bytes[24], bytes[25]], [8, 3], `${image}.png is 8-bit indexed`)
    const index = new Uint8Array(H * W)
    for (const classId of CLASS_IDS) {
      decodeRle(classes.get(classId)!, H, W).forEach((v, i) => {
        if (v) index[i] = Math.max(index[i], classId)
      })
    }
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
    assert.equal(info.channels, 3)
    let wrong = 0
    for (let i = 0; i < H * W; i++) {
      const [r, g, b] = COLOURS[index[i]]
      if (data[3 * i] !== r || data[3 * i + 1] !== g || data[3 * i + 2] !== b) wrong++
    }
    assert.equal(wrong, 0, `${image}.png`)
  }
  const sidecar = JSON.parse(readFileSync(join(out, 'masks.json'), 'utf8'))
  assert.match(sidecar.overlapRule, /highest class id/)
  assert.deepEqual(sidecar.overlaps, [{ image: names[0], pixels: 20 }])
})

/** COCO's uncompressed RLE, decoded independently: alternating runs of 0 and 1, column-major. */
function decodeCocoCounts(counts: number[], height: number, width: number): Uint8Array {
  const mask = new Uint8Array(height * width)
  let n = 0
  counts.forEach((run, k) => {
    for (let j = 0; j < run; j++, n++) if (k % 2 === 1) mask[(n % height) * width + Math.floor(n / height)] = 1
  })
  assert.equal(n, height * width, 'counts cover every pixel')
  return mask
}

test('COCO JSON: RLE segmentations round-trip to the same pixels, with bbox, area and the model set\'s classes', async () => {
  const { out, result } = await exportTo({ what: 'coco', masks: 'reviewed', rejected: 'include' }, 'coco.json')
  const coco = JSON.parse(readFileSync(out, 'utf8'))
  assert.deepEqual(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name]), [[1, 'pits'], [2, 'cracks'], [3, 'scratches'], [4, 'scale']])
  assert.deepEqual(coco.images.map((i: { file_name: string }) => i.file_name), names)
  const expected = expectedFor('reviewed', 'include')
  const nonEmpty = [...expected].flatMap(([image, classes]) => [...classes].filter(([, rle]) => rle !== '').map(([classId, rle]) => ({ image, classId, rle })))
  assert.equal(coco.annotations.length, nonEmpty.length)
  assert.equal(result.nonEmptyMasks, nonEmpty.length)
  const fileOf = new Map(coco.images.map((i: { id: number; file_name: string }) => [i.id, i.file_name]))
  for (const want of nonEmpty) {
    const ann = coco.annotations.find((a: { image_id: number; category_id: number }) => fileOf.get(a.image_id) === want.image && a.category_id === want.classId)
    assert.ok(ann, `${want.image} class ${want.classId} has an annotation`)
    assert.deepEqual(ann.segmentation.size, [H, W])
    const mask = decodeCocoCounts(ann.segmentation.counts, H, W)
    assertSameMask(mask, want.rle, `${want.image} class ${want.classId}`)
    let area = 0
    let [x0, y0, x1, y1] = [W, H, -1, -1]
    mask.forEach((v, i) => {
      if (!v) return
      area++
      const x = i % W
      const y = Math.floor(i / W)
      ;[x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)]
    })
    assert.equal(ann.area, area)
    assert.deepEqual(ann.bbox, [x0, y0, x1 - x0 + 1, y1 - y0 + 1])
    assert.equal(ann.iscrowd, 0)
  }
})

test('reviews CSV: latest status, reviewer, ISO time, note and edited classes per image', async () => {
  const { out, result } = await exportTo({ what: 'reviews' }, 'reviews.csv')
  const rows: Record<string, string>[] = parse(readFileSync(out, 'utf8'), { columns: true })
  assert.equal(result.images, names.length, 'every image, rejected or not')
  assert.deepEqual(rows.map((r) => r.image), names)
  const by = new Map(rows.map((r) => [r.image, r]))
  assert.deepEqual(
    names.slice(0, 5).map((n) => [by.get(n)!.status, by.get(n)!.reviewer, by.get(n)!.note, by.get(n)!.edited_classes]),
    [
      ['accepted', 'j.novak', '', '3'],
      ['flagged', 'j.novak', 'check, "edge" crack', '2'],
      ['rejected', 'm.schmidt', 'oil stain, not a scratch', ''],
      ['unreviewed', '', '', '4'],
      ['unreviewed', '', '', ''],
    ],
  )
  const latest = fx.store.reviews.current(fx.imageIds.get(rejectedName)!)!
  assert.equal(by.get(rejectedName)!.reviewed_at, new Date(latest.createdAtMs).toISOString())
  assert.match(by.get(rejectedName)!.reviewed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
})

test('coilscope export: --what, --masks, --rejected on the command line; bad combinations are usage errors', () => {
  const out = join(tempDir(), 'cli-indexed')
  const run = runCli(['export', '--db', fx.dbPath, '--what', 'indexed-png', '--masks', 'reviewed', '--rejected', 'empty', '--out', out])
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stderr, new RegExp(`wrote ${out} \\(indexed-png, reviewed masks under "run defaults", rejected empty\\): 8 images`))
  assert.match(run.stderr, /1 rejected images emptied/)
  assert.equal(readdirSync(out).length, 9)
  const bad = runCli(['export', '--db', fx.dbPath, '--profile', 'strict', '--out', join(tempDir(), 'x.csv')])
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /--profile applies to --masks reviewed only/)
  const unknown = runCli(['export', '--db', fx.dbPath, '--masks', 'reviewed', '--profile', 'nope', '--out', join(tempDir(), 'x.csv')])
  assert.equal(unknown.status, 2)
  assert.match(unknown.stderr, /no threshold profile named "nope"/)
  const what = runCli(['export', '--db', fx.dbPath, '--what', 'tiff', '--out', join(tempDir(), 'x')])
  assert.equal(what.status, 2)
  assert.match(what.stderr, /expected one of csv, png, indexed-png, coco, reviews/)
})
