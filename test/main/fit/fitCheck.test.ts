// The fit check through the real CLI (`coilscope models fit`) against the default set's fingerprint
// (its synthetic training coils): images plainly unlike them — other textures, contrast, brightness,
// noise — fire the warning; fresh synthetic coils (a seed the training never used) stay quiet.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, test } from 'node:test'
import sharp from 'sharp'
import { runCli } from '../../helpers/cli.ts'
import { IMAGE_H, IMAGE_W, tempDir } from '../../helpers/images.ts'

type Pixel = (x: number, y: number, random: () => number) => number

/** A small deterministic generator, so the images are the same on every run. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0
    return state / 2 ** 32
  }
}

const UNLIKE: Record<string, Pixel> = {
  'a checkerboard texture': (x, y) => (((x >> 3) + (y >> 3)) % 2 ? 190 : 60),
  'a full-range gradient (contrast)': (x) => Math.round((x / (IMAGE_W - 1)) * 255),
  'bright, nearly white strips': (_, __, r) => 235 + Math.round(r() * 6),
  'dark, nearly black strips': (_, __, r) => 12 + Math.round(r() * 6),
  'heavy noise': (_, __, r) => 90 + Math.round((r() - 0.5) * 150),
}

const folders: Record<string, string> = {}

async function writeFolder(name: string, pixel: Pixel): Promise<string> {
  const dir = tempDir()
  for (let i = 0; i < 6; i++) {
    const random = randomFrom(1000 * i + name.length)
    const grey = new Uint8Array(IMAGE_H * IMAGE_W)
    for (let y = 0; y < IMAGE_H; y++) for (let x = 0; x < IMAGE_W; x++) grey[y * IMAGE_W + x] = pixel(x, y, random)
    await sharp(grey, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 1 } }).jpeg({ quality: 90 }).toFile(join(dir, `img-${i}.jpg`))
  }
  return dir
}

before(async () => {
  for (const [name, pixel] of Object.entries(UNLIKE)) folders[name] = await writeFolder(name, pixel)
  folders.fresh = tempDir()
  const synth = runCli(['synth', folders.fresh, '--count', '24', '--seed', '4242'])
  assert.equal(synth.status, 0, synth.stderr)
})

function fit(folder: string): { unlike: boolean; unlikeImages: number; images: number; medianDistance: number; message: string } {
  const run = runCli(['models', 'fit', 'default', folder, '--json'])
  assert.equal(run.status, 0, run.stderr)
  return JSON.parse(run.stdout)
}

for (const name of Object.keys(UNLIKE)) {
  test(`the fit check fires on ${name}`, () => {
    const verdict = fit(folders[name])
    console.log(`${name}: ${verdict.message}`)
    assert.equal(verdict.unlike, true)
    assert.equal(verdict.unlikeImages, 6)
    assert.match(verdict.message, /^these images do not look like the images this model set was trained on: results may be unreliable — 6 of 6 images/)
  })
}

test('the fit check stays quiet on fresh synthetic coils', () => {
  const verdict = fit(folders.fresh)
  console.log(`fresh synthetic coils: ${verdict.message}`)
  assert.equal(verdict.unlike, false)
  assert.equal(verdict.images, 24)
  assert.ok(verdict.unlikeImages <= 1, verdict.message)
})

test('inspect names the set\'s provenance and warns when the images do not fit', () => {
  const out = join(tempDir(), 'x.csv')
  const unlike = runCli(['inspect', folders['heavy noise'], '--out', out, '--provider', 'cpu'])
  assert.equal(unlike.status, 0, unlike.stderr)
  assert.match(unlike.stderr, /trained on: synthetic coils \(coilscope synth\) only, never real strips/)
  assert.match(unlike.stderr, /WARNING: these images do not look like the images this model set was trained on: results may be unreliable — 6 of 6/)
  const fresh = runCli(['inspect', folders.fresh, '--out', out, '--force', '--provider', 'cpu'])
  assert.doesNotMatch(fresh.stderr, /WARNING/)
  assert.match(fresh.stderr, /fit: these images look like the training images/)
})
