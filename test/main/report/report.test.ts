// The inspection report against a database that looks like a real shift: synthetic coils with a
// default model set's maps, human edits and reviews. The numbers the report prints equal the
// database's; the PDF is printed by headless Chromium and its pages rendered to PNG under
// artifacts/report/ (under CI=true a missing chromium or pdftoppm fails instead of skipping).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import { buildReportHtml, collectReportData, findChromium, REPORT_DATA_ID, SIGN_OFF_SETTING, writeReport, type ReportData } from '../../../src-main/report/index.ts'
import { profileForRun, reviewedMasks } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { countPixels, decodeRle } from '../../../src-shared/rle.ts'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'
import { copyOfShift, type InspectedRun } from './inspectedRun.ts'

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/report/', import.meta.url))
const isCi = process.env.CI === 'true'

let store: Store
let dbPath: string
let shift: InspectedRun
let html: string
let data: ReportData

before(async () => {
  const dir = tempDir()
  dbPath = join(dir, 'shift.db')
  shift = await copyOfShift(dbPath)
  store = openStore(dbPath)
  addHumanWork(store, shift)
  ;({ html, data } = await buildReportHtml(store, { sourceId: shift.sourceId, runId: shift.runId, signedOffBy: 'K. Lindqvist (shift B)' }))
})
after(() => store.close())

/** An eraser edit, a brush edit, and reviews of every status, like a shift's worth of review. */
function addHumanWork(store: Store, { sourceId, runId }: InspectedRun): void {
  const images = store.images.listBySource(sourceId)
  const modelMasks = (id: number) => store.masks.fromRun(runId, id).filter((m) => m.rle !== '')
  const defective = images.filter((i) => modelMasks(i.id).length > 0)
  const clean = images.filter((i) => modelMasks(i.id).length === 0)
  const erased = modelMasks(defective[0].id)[0]
  store.edits.record({ imageId: erased.imageId, classId: erased.classId, beforeRle: erased.rle, afterRle: '', tool: 'eraser', author: 'j.novak', runId })
  // A crack the model missed, drawn in by hand: rows 100–139 of columns 500–559.
  const drawn = Array.from({ length: 60 }, (_, k) => `${(500 + k) * 256 + 101} 40`).join(' ')
  store.edits.record({ imageId: defective[1].id, classId: 2, beforeRle: '', afterRle: drawn, tool: 'brush', author: 'j.novak', runId })
  store.edits.record({ imageId: clean[0].id, classId: 1, beforeRle: '', afterRle: drawn, tool: 'brush', author: 'm.schmidt', runId })
  const statuses = ['accepted', 'accepted', 'rejected', 'flagged', 'accepted', 'unreviewed'] as const
  defective.slice(0, statuses.length).forEach((image, k) =>
    store.reviews.record({ imageId: image.id, status: statuses[k], author: k % 2 ? 'm.schmidt' : 'j.novak', note: statuses[k] === 'rejected' ? 'oil stain <not> a defect' : '' }),
  )
  store.reviews.record({ imageId: clean[1].id, status: 'accepted', author: 'j.novak' })
}

function embeddedData(page: string): ReportData {
  const match = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">(.*?)</script>`, 's').exec(page)
  assert.ok(match, 'the report embeds its data')
  return JSON.parse(match[1])
}

test("the report's numbers equal the database's", () => {
  const embedded = embeddedData(html)
  assert.deepEqual(embedded, JSON.parse(JSON.stringify(data)))
  const profile = profileForRun(store, shift.runId)
  const images = store.images.listBySource(shift.sourceId).filter((i) => store.predictions.get(shift.runId, i.id)?.imageSha256 === i.sha256)
  const perClass = new Map([1, 2, 3, 4].map((c) => [c, { images: 0, areaPx: 0 }]))
  const review = { unreviewed: 0, accepted: 0, rejected: 0, flagged: 0 }
  let defective = 0
  let edits = 0
  let humanMasks = 0
  for (const image of images) {
    const masks = reviewedMasks(store, shift.runId, image.id, profile)
    const areas = masks.map((m) => countPixels(decodeRle(m.rle, 256, 1600)))
    if (areas.some((a) => a > 0)) defective++
    masks.forEach((m, k) => {
      if (areas[k] === 0) return
      perClass.get(m.classId)!.images++
      perClass.get(m.classId)!.areaPx += areas[k]
    })
    humanMasks += masks.filter((m) => m.origin === 'human').length
    review[store.reviews.current(image.id)?.status ?? 'unreviewed']++
    edits += store.edits.listForImage(image.id).length
  }
  const s = embedded.summary
  assert.equal(s.images, 30)
  assert.equal(s.images, images.length)
  assert.equal(s.defectiveImages, defective)
  assert.deepEqual(s.perClass.map((p) => [p.classId, p.images, p.areaPx]), [...perClass].map(([c, p]) => [c, p.images, p.areaPx]))
  assert.deepEqual({ unreviewed: s.review.unreviewed, accepted: s.review.accepted, rejected: s.review.rejected, flagged: s.review.flagged }, review)
  assert.equal(s.review.reviewed, images.length - review.unreviewed)
  assert.deepEqual([s.humanEdits, s.humanEditedImages, s.humanMasks], [3, 3, humanMasks])
  assert.equal(embedded.defectiveImages.length, defective)
  assert.equal(embedded.defects.length, [...perClass.values()].reduce((n, p) => n + p.images, 0))
  assert.deepEqual(embedded.reviewers, ['j.novak', 'm.schmidt'])
  assert.equal(embedded.profile.name, 'run defaults')
  const run = store.runs.get(shift.runId)!
  const modelSet = store.modelSets.get(run.modelSetId)!
  assert.equal(embedded.modelSet.manifestSha256, modelSet.manifestSha256)
  assert.deepEqual(embedded.modelSet.members, modelSet.members)
  assert.equal(embedded.run.providerUsed, 'cpu')
  assert.equal(embedded.signOff.name, 'K. Lindqvist (shift B)')
})

test('the printed figures are the embedded ones', () => {
  const metric = (name: string) => [...html.matchAll(new RegExp(`data-metric="${name}">([^<]*)<`, 'g'))].map((m) => Number(m[1].replace(/,/g, '')))
  const s = data.summary
  assert.deepEqual(metric('images'), [s.images])
  assert.deepEqual(metric('defectiveImages'), [s.defectiveImages])
  assert.deepEqual(metric('reviewed'), [s.review.reviewed])
  assert.deepEqual(metric('accepted'), [s.review.accepted])
  assert.deepEqual(metric('rejected'), [s.review.rejected])
  assert.deepEqual(metric('flagged'), [s.review.flagged])
  assert.deepEqual(metric('humanEdits'), [s.humanEdits])
  assert.deepEqual(metric('classImages'), s.perClass.map((p) => p.images))
  assert.deepEqual(metric('classArea'), s.perClass.map((p) => p.areaPx))
  assert.deepEqual(metric('defectiveImageRows'), [s.defectiveImages])
  for (const fact of [data.source.folderPath, ...data.modelSet.members.map((m) => m.sha256), 'K. Lindqvist (shift B)']) assert.ok(html.includes(fact), fact)
  assert.ok(html.includes('oil stain &lt;not&gt; a defect'), 'notes are escaped')
  assert.ok(!html.includes('<not>'))
  assert.equal((html.match(/<svg/g) ?? []).length, 3, 'three charts, inline SVG')
  assert.equal((html.match(/src="data:image\/jpeg;base64,/g) ?? []).length, data.gallery.defects.length, 'one embedded thumbnail per gallery defect')
  assert.ok(!/(src|href)="(https?:|file:|\/)/.test(html), 'self-contained: nothing loaded from elsewhere')
})

test('the gallery holds the largest or the least certain defects', () => {
  const sizes = data.gallery.defects.map((d) => d.areaPx)
  assert.equal(sizes.length, 12)
  assert.deepEqual(sizes, [...data.defects.map((d) => d.areaPx)].sort((a, b) => b - a).slice(0, 12))
  const uncertain = collectReportData(store, { sourceId: shift.sourceId, runId: shift.runId, galleryOrder: 'uncertain', galleryCount: 5 }).gallery.defects
  assert.equal(uncertain.length, 5)
  assert.ok(uncertain.every((d) => d.origin === 'model' && d.maxProbability !== null))
  const peaks = data.defects.filter((d) => d.maxProbability !== null).map((d) => d.maxProbability!).sort((a, b) => a - b)
  assert.deepEqual(uncertain.map((d) => d.maxProbability), peaks.slice(0, 5))
})

test('sign-off comes from the flag, else from the setting, else is left blank to sign by hand', () => {
  const options = { sourceId: shift.sourceId, runId: shift.runId }
  assert.deepEqual(collectReportData(store, options).signOff, { name: null, origin: null })
  store.settings.set(SIGN_OFF_SETTING, 'A. Osei')
  assert.deepEqual(collectReportData(store, options).signOff, { name: 'A. Osei', origin: 'setting' })
  assert.deepEqual(collectReportData(store, { ...options, signedOffBy: 'B. Ruiz' }).signOff, { name: 'B. Ruiz', origin: 'flag' })
  store.settings.delete(SIGN_OFF_SETTING)
})

test('a gallery image that is gone or changed gets a reason instead of a picture', async () => {
  const largest = data.gallery.defects[0]
  const path = join(shift.folder, largest.image)
  renameSync(path, `${path}.moved`)
  try {
    const { html: page } = await buildReportHtml(store, { sourceId: shift.sourceId, runId: shift.runId, galleryCount: 1 })
    assert.match(page, /image not readable \(ENOENT\)/)
  } finally {
    renameSync(`${path}.moved`, path)
  }
})

const chromium = findChromium()
const hasPdftoppm = spawnSync('pdftoppm', ['-v']).error === undefined
const pdfTools = { skip: !isCi && (!chromium ? 'no Chromium' : !hasPdftoppm ? 'no pdftoppm' : false) }

test('the PDF is printed by headless Chromium; its pages are rendered to PNG under artifacts/report/', pdfTools, async () => {
  assert.ok(chromium, 'Chromium is needed to print the PDF (apt-get install chromium)')
  assert.ok(hasPdftoppm, 'pdftoppm is needed to render the PDF (apt-get install poppler-utils)')
  const out = join(tempDir(), 'report.pdf')
  const written = await writeReport(store, { out, sourceId: shift.sourceId, runId: shift.runId, signedOffBy: 'K. Lindqvist (shift B)' })
  assert.equal(written.format, 'pdf')
  const pdf = readFileSync(out)
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  const info = spawnSync('pdfinfo', [out], { encoding: 'utf8' })
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1])
  assert.ok(pages >= 2, `${pages} pages`)
  assert.match(info.stdout, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/)
  mkdirSync(ARTIFACTS, { recursive: true })
  copyFileSync(out, join(ARTIFACTS, 'report.pdf'))
  const render = spawnSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '2', out, join(ARTIFACTS, 'page')], { encoding: 'utf8' })
  assert.equal(render.status, 0, render.stderr)
  const rendered = readdirSync(ARTIFACTS).filter((f) => /^page-\d+\.png$/.test(f)).sort()
  assert.deepEqual(rendered, ['page-1.png', 'page-2.png'])
  // A rendered page is a real picture: the first page carries the charts' colours, not just text.
  const size = readFileSync(join(ARTIFACTS, 'page-1.png')).length
  assert.ok(size > 40_000, `page 1 is ${size} bytes`)
})

test('coilscope report: HTML without a browser; a PDF without Chromium fails clearly and writes nothing', () => {
  const dir = tempDir()
  const page = join(dir, 'report.html')
  const run = runCli(['report', '--db', dbPath, '--out', page, '--gallery-count', '3'])
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stderr, /wrote .*report\.html \(html, \d+ KiB\): run 1 over .*; 30 images, \d+ defective, \d+ reviewed, profile "run defaults"/)
  assert.equal(embeddedData(readFileSync(page, 'utf8')).gallery.defects.length, 3)
  const missing = spawnSync(process.execPath, [fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url)), 'report', '--db', dbPath, '--out', join(dir, 'report.pdf')], {
    encoding: 'utf8',
    env: { ...process.env, COILSCOPE_CHROMIUM: '/nonexistent/chromium' },
  })
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /cannot print the PDF: no Chromium found \(COILSCOPE_CHROMIUM=\/nonexistent\/chromium does not exist\)/)
  assert.ok(!existsSync(join(dir, 'report.pdf')))
  assert.deepEqual(readdirSync(dir), ['report.html'])
  const wrongType = runCli(['report', '--db', dbPath, '--out', join(dir, 'report.docx')])
  assert.equal(wrongType.status, 2)
  assert.match(wrongType.stderr, /the report is written as \.pdf or \.html/)
})
