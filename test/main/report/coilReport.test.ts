// One coil's report through the real CLI: four block images (the fixture models find each block
// exactly) inspected as a coil, a rule set, a decision and a reviewer's edit; `coilscope coils
// --report` writes the HTML — the coil map with every defect, the fired rule and where, the
// decisions, the gallery of the largest defects cropped from their images, the reviewers — and the
// PDF printed by headless Chromium, whose pages are rendered to PNG under artifacts/coil-report/;
// and the run report's positions chart in metres along the coil.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { before, test } from 'node:test'
import { findChromium, type ReportDefect } from '../../../src-main/report/index.ts'
import { coilAlong } from '../../../src-main/report/coilPositions.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/coil-report/', import.meta.url))
const work = tempDir('coilscope-coil-report-')
const folder = join(work, 'coil-B12')
const db = join(work, 'library.db')

before(async () => {
  mkdirSync(folder)
  await writeBlockImages(folder, 4) // image i: a 64×200 px block of class i + 1 at rows 64·i…, columns 0…199
  const inspect = runCli(['inspect', folder, '--db', db, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(work, 'out.csv')])
  assert.equal(inspect.status, 0, inspect.stderr)
  const rules = join(work, 'rules.json')
  writeFileSync(rules, JSON.stringify({ name: 'plant', version: 3, edgeBandMm: 20, rules: [{ id: 'scale', kind: 'defectArea', classes: [4], atLeastMm2: 1000, outcome: 'downgrade', reason: 'rolled-in scale found' }] }))
  // A reviewer's edit before the decision: class 1 of the first image erased to its left half.
  const store = openStore(db)
  try {
    const image = store.images.listBySource(store.sources.list()[0].id).find((i) => i.relativePath === 'coil-0000.jpg')!
    const run = store.runs.list()[0]
    const before = store.masks.fromRun(run.id, image.id)[0].rle
    // Column-major RLE, one run per block column: the first half of the runs is the left half.
    const pairs = before.split(' ')
    const afterRle = pairs.slice(0, Math.floor(pairs.length / 4) * 2).join(' ')
    store.edits.record({ imageId: image.id, classId: 1, beforeRle: before, afterRle, tool: 'eraser', author: 'mira', runId: run.id })
  } finally {
    store.close()
  }
  const listed = runCli(['coils', '--db', db, '--rules', rules])
  assert.equal(listed.status, 0, listed.stderr)
  const decided = runCli(['disposition', '--db', db, '--coil', '1', '--rules', rules, '--decide', 'downgrade', '--author', 'ana'])
  assert.equal(decided.status, 0, decided.stderr)
})

test('coilscope coils --report writes the coil HTML: map, fired rule, decision, gallery, reviewers', () => {
  const out = join(work, 'coil.html')
  const run = runCli(['coils', '--db', db, '--report', 'coil-B12', '--out', out])
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stderr, /wrote .*coil\.html \(\d+ KiB\): coil coil-B12, 4 images, proposed downgrade/)
  const html = readFileSync(out, 'utf8')
  assert.match(html, /<h1>Coil report: coil-B12<\/h1>/)
  const map = /<svg class="coil-map"[\s\S]*?<\/svg>/.exec(html)![0]
  assert.equal((map.match(/<rect /g) ?? []).length, 1 + 4, 'the band and one rectangle per defect')
  assert.match(html, /<li><strong>downgrade<\/strong> scale: rolled-in scale found — value 12,800, at 1 place\(s\) \(4\.8 m\)<\/li>/)
  assert.match(html, /<td>ana<\/td><td>confirm<\/td><td>downgrade<\/td><td><strong>downgrade<\/strong><\/td><td>plant v3<\/td>/)
  const cards = [...html.matchAll(/<figure class="card"[^>]*data-image="([^"]+)" data-class="(\d)">[\s\S]*?<\/figure>/g)]
  assert.deepEqual(cards.map((c) => [c[1], c[2]]).sort(), [['coil-0000.jpg', '1'], ['coil-0001.jpg', '2'], ['coil-0002.jpg', '3'], ['coil-0003.jpg', '4']])
  assert.equal(cards[3][1], 'coil-0000.jpg', "the edited class-1 defect is the smallest, last")
  assert.ok(cards.every((c) => /<img src="data:image\/jpeg;base64,/.test(c[0])), 'every gallery defect cropped from its image')
  assert.match(html, /<tr><td>mira<\/td><td class="num">1<\/td><td class="num">0<\/td>/)

  const again = runCli(['coils', '--db', db, '--report', 'coil-B12', '--out', out])
  assert.equal(again.status, 2, 'an existing report is not replaced without --force')
  assert.equal(runCli(['coils', '--db', db, '--report', 'no-such-coil', '--out', join(work, 'x.html')]).status, 2)
  assert.match(runCli(['coils', '--db', db, '--report', '1']).stderr, /--report needs --out/)
})

const chromium = findChromium()
const hasPdftoppm = spawnSync('pdftoppm', ['-v']).error === undefined
const isCi = process.env.CI === 'true'

test('the coil report as PDF, printed by headless Chromium; its pages rendered to PNG', { skip: !isCi && (!chromium ? 'no Chromium' : !hasPdftoppm ? 'no pdftoppm' : false) }, () => {
  const out = join(work, 'coil.pdf')
  const run = runCli(['coils', '--db', db, '--report', '1', '--out', out])
  assert.equal(run.status, 0, run.stderr)
  assert.equal(readFileSync(out).subarray(0, 5).toString('latin1'), '%PDF-')
  const text = spawnSync('pdftotext', [out, '-'], { encoding: 'utf8' }).stdout
  assert.match(text, /Coil report: coil-B12/)
  assert.match(text, /Confirmed downgrade by ana/)
  mkdirSync(ARTIFACTS, { recursive: true })
  copyFileSync(out, join(ARTIFACTS, 'coil.pdf'))
  const render = spawnSync('pdftoppm', ['-png', '-r', '90', '-f', '1', '-l', '2', out, join(ARTIFACTS, 'page')], { encoding: 'utf8' })
  assert.equal(render.status, 0, render.stderr)
  assert.ok(existsSync(join(ARTIFACTS, 'page-1.png')), readdirSync(ARTIFACTS).join(', '))
})

test("the run report's positions chart runs in metres along the coil once the source's coils are known", () => {
  const store = openStore(db)
  try {
    const source = store.sources.list()[0]
    const along = coilAlong(store, source.id)!
    const image = store.images.listBySource(source.id).find((i) => i.relativePath === 'coil-0003.jpg')!
    // Image 3's head is 4.8 m from the coil's head (1600 px at 1 mm per pixel each before it).
    assert.equal(along.metresOf({ imageId: image.id, centroidX: 100, centroidY: 224 } as ReportDefect), 4.9)
    assert.deepEqual([along.longestM, along.coils], [6.4, 1])
  } finally {
    store.close()
  }
  const out = join(work, 'run-report.html')
  const run = runCli(['report', '--db', db, '--out', out])
  assert.equal(run.status, 0, run.stderr)
  const html = readFileSync(out, 'utf8')
  assert.match(html, /along the coil from its head, m/)
  assert.doesNotMatch(html, /image # \(file order\)/)
})
