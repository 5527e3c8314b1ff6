// Byte-identical files are inspected once, but every file is listed in every export, with the
// result of the file it copies: through the real CLI (inspect, then export from its database).
import assert from 'node:assert/strict'
import { copyFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const folder = tempDir()
const db = join(tempDir(), 'dup.db')
let names: string[]

before(async () => {
  names = await writeBlockImages(folder, 2) // coil-0000.jpg (class 1), coil-0001.jpg (class 2)
  copyFileSync(join(folder, names[0]), join(folder, 'a-copy.jpg'))
  copyFileSync(join(folder, names[1]), join(folder, 'z-copy.jpg'))
})

test('inspect: the copies are inspected once and still have their rows in the submission, equal to their originals', () => {
  const out = join(tempDir(), 's.csv')
  const run = runCli(['inspect', folder, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--db', db, '--out', out, '--json'])
  assert.equal(run.status, 0, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.equal(summary.inspected, 2)
  assert.deepEqual(summary.duplicates.map((d: { file: string; sameAs: string }) => [d.file, d.sameAs]), [
    [join(folder, names[0]), 'a-copy.jpg'],
    [join(folder, 'z-copy.jpg'), names[1]],
  ])
  const table = parseSeverstalCsv(readFileSync(out, 'utf8'), out)
  assert.deepEqual(table.imageIds, ['a-copy.jpg', names[0], names[1], 'z-copy.jpg'])
  const masksOf = (imageId: string) => table.masks.filter((m) => m.imageId === imageId).map((m) => [m.classId, m.rle])
  assert.equal(masksOf(names[0]).length, 1)
  assert.deepEqual(masksOf('a-copy.jpg'), masksOf(names[0]))
  assert.deepEqual(masksOf('z-copy.jpg'), masksOf(names[1]))
  assert.notDeepEqual(masksOf(names[0]), masksOf(names[1]))
})

test('export: the copies are in the CSV (both forms), the mask PNGs and COCO', () => {
  for (const format of ['kaggle', 'kaggle2019']) {
    const csv = join(tempDir(), `${format}.csv`)
    const run = runCli(['export', '--db', db, '--format', format, '--out', csv])
    assert.equal(run.status, 0, run.stderr)
    const table = parseSeverstalCsv(readFileSync(csv, 'utf8'), csv)
    assert.deepEqual([...new Set(table.masks.map((m) => m.imageId))].sort(), ['a-copy.jpg', names[0], names[1], 'z-copy.jpg'], format)
  }
  const pngs = join(tempDir(), 'masks')
  assert.equal(runCli(['export', '--db', db, '--what', 'png', '--out', pngs]).status, 0)
  const files = readdirSync(pngs)
  for (const name of ['a-copy', 'z-copy']) assert.ok(files.some((f) => f.startsWith(name)), `${name} has mask PNGs: ${files.join(', ')}`)
  const coco = join(tempDir(), 'coco.json')
  assert.equal(runCli(['export', '--db', db, '--what', 'coco', '--out', coco]).status, 0)
  const dataset = JSON.parse(readFileSync(coco, 'utf8'))
  assert.deepEqual(dataset.images.map((i: { file_name: string }) => i.file_name).sort(), ['a-copy.jpg', names[0], names[1], 'z-copy.jpg'])
  const copy = dataset.images.find((i: { file_name: string }) => i.file_name === 'a-copy.jpg')
  assert.deepEqual([copy.width, copy.height], [1600, 256])
  assert.equal(dataset.annotations.filter((a: { image_id: number }) => a.image_id === copy.id).length, 1)
})
