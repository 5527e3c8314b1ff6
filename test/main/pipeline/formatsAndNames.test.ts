// What the scan says about files it cannot inspect: a BMP or HEIC is named as an unsupported format
// (with the formats that are read), an AVIF is read, a name that is not valid UTF-8 is said to be
// so, and sub-folders are counted. Real files through the real CLI.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import sharp from 'sharp'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

const BLOCK = { value: 240, top: 64, bottom: 128, left: 200, right: 800 }
const folder = tempDir()
const SUPPORTED = 'Coilscope reads JPEG, PNG, WebP, TIFF, GIF and AVIF'

/** A real 24-bit BMP (bottom-up rows, each padded to 4 bytes) of a grey image. */
function bmp(gray: Uint8Array, width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4
  const file = Buffer.alloc(54 + rowBytes * height)
  file.write('BM', 0, 'ascii')
  file.writeUInt32LE(file.length, 2)
  file.writeUInt32LE(54, 10)
  file.writeUInt32LE(40, 14)
  file.writeInt32LE(width, 18)
  file.writeInt32LE(height, 22)
  file.writeUInt16LE(1, 26)
  file.writeUInt16LE(24, 28)
  file.writeUInt32LE(rowBytes * height, 34)
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * rowBytes
    for (let x = 0; x < width; x++) file.fill(gray[y * width + x], row + 3 * x, row + 3 * x + 3)
  }
  return file
}

before(async () => {
  const gray = stripWithBlock(100, BLOCK)
  await writeGray(join(folder, 'strip.png'), gray, 'png')
  await sharp(gray, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 1 } }).avif({ lossless: true }).toFile(join(folder, 'strip.avif'))
  writeFileSync(join(folder, 'strip.bmp'), bmp(gray, IMAGE_W, IMAGE_H))
  writeFileSync(join(folder, 'scan-0001.dat'), bmp(gray, IMAGE_W, IMAGE_H)) // a BMP under another name
  // ISO-BMFF header of a HEIC still (box size, 'ftyp', brand 'heic').
  writeFileSync(join(folder, 'phone.heic'), Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')]))
  writeFileSync(Buffer.concat([Buffer.from(`${folder}/latin1-`), Buffer.from([0xe9]), Buffer.from('.jpg')]), readFileSync(join(folder, 'strip.png')))
  mkdirSync(join(folder, 'coil-7'))
  mkdirSync(join(folder, '.cache'))
})

test('the BMP is really a BMP and the AVIF an AVIF', async () => {
  assert.equal((await sharp(join(folder, 'strip.avif')).metadata()).format, 'heif')
  assert.equal(readFileSync(join(folder, 'strip.bmp')).subarray(0, 2).toString(), 'BM')
})

test('inspect: AVIF read, BMP and HEIC named as unsupported, a bad name said so, hidden sub-folders named', () => {
  const out = join(tempDir(), 's.csv')
  const run = runCli(['inspect', folder, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', out, '--json'])
  assert.equal(run.status, 3, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.deepEqual(summary.errors, [
    { file: join(folder, 'latin1-\uFFFD.jpg'), error: 'the file name is not valid UTF-8; rename the file to inspect it' },
    { file: join(folder, 'phone.heic'), error: `HEIC is not supported: ${SUPPORTED}` },
    { file: join(folder, 'scan-0001.dat'), error: `BMP is not supported: ${SUPPORTED}` },
    { file: join(folder, 'strip.bmp'), error: `BMP is not supported: ${SUPPORTED}` },
  ])
  assert.equal(summary.succeeded, 2)
  assert.deepEqual(summary.subfolders, ['.cache (a hidden folder)'], 'coil-7 is entered (it is empty); the hidden folder is not')
  const csv = readFileSync(out, 'utf8')
  const rowOf = (name: string) => csv.split('\n').find((l) => l.startsWith(`${name}_2,`))
  assert.ok(rowOf('strip.avif')!.length > 'strip.avif_2,'.length, 'the AVIF has its class-2 mask')
  assert.equal(rowOf('strip.avif')!.split(',')[1], rowOf('strip.png')!.split(',')[1])

  const human = runCli(['inspect', folder, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(tempDir(), 'h.csv')])
  assert.match(human.stderr, /\n {2}1 subfolder\(s\) not entered: \.cache \(a hidden folder\)\n/)
  assert.match(human.stderr, /strip\.bmp: BMP is not supported: Coilscope reads JPEG, PNG, WebP, TIFF, GIF and AVIF/)
})
