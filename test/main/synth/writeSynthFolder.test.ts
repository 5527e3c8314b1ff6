// writeSynthFolder: byte-identical folders per seed, truth.csv holding exactly the generator's
// masks, extension with startIndex, and refusal to clobber a truth.csv it cannot merge.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import sharp from 'sharp'
import { decodeRle } from '../../../src-shared/rle.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { COIL_HEIGHT, COIL_WIDTH, generateCoil, TruthFileError, writeSynthFolder } from '../../../src-main/synth/index.ts'
import { tempDir } from '../../helpers/images.ts'

const SEED = 31337
const COUNT = 16
const first = tempDir('coilscope-synth-')
const second = tempDir('coilscope-synth-')

function folderBytes(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]))
}

before(async () => {
  const summary = await writeSynthFolder(first, { count: COUNT, seed: SEED, defectRate: 0.8 })
  assert.equal(summary.count, COUNT)
  assert.ok(summary.imagesPerSecond > 0)
  await writeSynthFolder(second, { count: COUNT, seed: SEED, defectRate: 0.8 })
})

test('the same seed and count give byte-identical JPEGs and truth.csv', () => {
  const a = folderBytes(first)
  assert.equal(a.size, COUNT + 1)
  assert.deepEqual(a, folderBytes(second))
})

test('every truth.csv mask is exactly the mask the generator drew, on the image it names', async () => {
  const table = parseSeverstalCsv(readFileSync(join(first, 'truth.csv'), 'utf8'), 'truth.csv')
  assert.equal(table.format, 'kaggle')
  let masks = 0
  for (let index = 0; index < COUNT; index++) {
    const coil = generateCoil(SEED, index, { defectRate: 0.8 })
    const rows = table.masks.filter((m) => m.imageId === `${coil.id}.jpg`)
    assert.deepEqual(rows.map((r) => r.classId), coil.classes)
    for (const row of rows) {
      assert.deepEqual(decodeRle(row.rle, COIL_HEIGHT, COIL_WIDTH), coil.masks.get(row.classId as 1 | 2 | 3 | 4))
      masks++
    }
    // The file is this coil: Severstal's shape, three channels, and its pixels up to JPEG error.
    const { data, info } = await sharp(join(first, `${coil.id}.jpg`)).raw().toBuffer({ resolveWithObject: true })
    assert.deepEqual([info.width, info.height, info.channels], [COIL_WIDTH, COIL_HEIGHT, 3])
    let error = 0
    for (let i = 0; i < coil.gray.length; i++) error += Math.abs(data[i * 3] - coil.gray[i])
    assert.ok(error / coil.gray.length < 3, `mean JPEG error ${error / coil.gray.length}`)
  }
  assert.ok(masks > 0, 'the set has defects to check')
})

test('a set extended with startIndex equals the set generated at once', async () => {
  const extended = tempDir('coilscope-synth-')
  await writeSynthFolder(extended, { count: 10, seed: SEED, defectRate: 0.8 })
  await writeSynthFolder(extended, { count: 6, seed: SEED, defectRate: 0.8, startIndex: 10 })
  assert.deepEqual(folderBytes(extended), folderBytes(first))
})

test('another seed gives other images', async () => {
  const other = tempDir('coilscope-synth-')
  await writeSynthFolder(other, { count: 2, seed: SEED + 1 })
  const names = readdirSync(other).filter((n) => n.endsWith('.jpg'))
  assert.equal(names.length, 2)
  for (const name of names) assert.ok(!readdirSync(first).includes(name))
})

test('a truth.csv in another form is left alone', async () => {
  const dir = tempDir('coilscope-synth-')
  const old = 'ImageId_ClassId,EncodedPixels\na.jpg_1,1 1\n'
  writeFileSync(join(dir, 'truth.csv'), old)
  await assert.rejects(writeSynthFolder(dir, { count: 1, seed: 1 }), TruthFileError)
  assert.equal(readFileSync(join(dir, 'truth.csv'), 'utf8'), old)
})
