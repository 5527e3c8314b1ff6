// A strip stored on its side with an EXIF orientation is inspected upright, and the rotation is
// recorded: real JPEGs with a real EXIF orientation tag, through the real CLI and store.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import sharp from 'sharp'
import { openStore } from '../../../src-main/store/index.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir } from '../../helpers/images.ts'

const BLOCK = { value: 240, top: 64, bottom: 128, left: 200, right: 800 }

/** The same upright strip, stored as is and stored turned so that orientation 6 or 8 shows it upright. */
async function writeStrips(dir: string): Promise<void> {
  const upright = sharp(stripWithBlock(100, BLOCK), { raw: { width: IMAGE_W, height: IMAGE_H, channels: 1 } })
  const jpeg = { quality: 95, chromaSubsampling: '4:4:4' } as const
  await upright.clone().jpeg(jpeg).toFile(join(dir, 'upright.jpg'))
  // Orientation 6 asks a viewer to turn the stored pixels 90° clockwise: store them 90° counter-clockwise.
  for (const [angle, orientation] of [[270, 6], [90, 8]] as const) {
    const { data, info } = await upright.clone().rotate(angle).raw().toBuffer({ resolveWithObject: true })
    assert.deepEqual([info.width, info.height], [IMAGE_H, IMAGE_W])
    await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .jpeg(jpeg)
      .withMetadata({ orientation })
      .toFile(join(dir, `sideways-${orientation}.jpg`))
  }
}

test('the fixture files really are stored 256 wide and 1600 high, with their orientation tag', async () => {
  const dir = tempDir()
  await writeStrips(dir)
  for (const [name, orientation] of [['sideways-6.jpg', 6], ['sideways-8.jpg', 8]] as const) {
    const meta = await sharp(join(dir, name)).metadata()
    assert.deepEqual([meta.width, meta.height, meta.orientation], [IMAGE_H, IMAGE_W, orientation])
  }
})

test('a strip stored sideways with EXIF orientation 6 or 8 gets the upright strip’s masks, and the rotation is recorded', async () => {
  const dir = tempDir()
  await writeStrips(dir)
  const db = join(tempDir(), 'exif.db')
  const out = join(tempDir(), 's.csv')
  const run = runCli(['inspect', dir, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--db', db, '--out', out, '--json'])
  assert.equal(run.status, 0, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.deepEqual(
    summary.warnings,
    [
      { file: join(dir, 'sideways-6.jpg'), warning: 'EXIF orientation 6 (rotated 90° clockwise): turned upright to 1600×256 before inspection' },
      { file: join(dir, 'sideways-8.jpg'), warning: 'EXIF orientation 8 (rotated 90° counter-clockwise): turned upright to 1600×256 before inspection' },
    ],
  )
  const table = parseSeverstalCsv(readFileSync(out, 'utf8'), out)
  const masksOf = (imageId: string) => table.masks.filter((m) => m.imageId === imageId).map((m) => [m.classId, m.rle])
  assert.equal(masksOf('upright.jpg').length, 1, 'the upright strip has its class-2 block')
  assert.deepEqual(masksOf('sideways-6.jpg'), masksOf('upright.jpg'))
  assert.deepEqual(masksOf('sideways-8.jpg'), masksOf('upright.jpg'))

  const store = openStore(db)
  const images = store.images.listBySource(store.sources.list()[0].id)
  const sideways = images.find((i) => i.relativePath === 'sideways-6.jpg')!
  assert.deepEqual([sideways.width, sideways.height], [IMAGE_W, IMAGE_H], 'recorded at its upright size')
  assert.match(sideways.warning ?? '', /EXIF orientation 6/)
  store.close()
})
