// The report always names what the model set was trained on, and warns, with the measure, when the
// source's images do not look like its training images (the real CLI: inspect, then report).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import sharp from 'sharp'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

function reportOf(folder: string, models: string[]): string {
  const db = join(tempDir(), 'r.db')
  const inspect = runCli(['inspect', folder, '--db', db, '--out', join(tempDir(), 'x.csv'), '--provider', 'cpu', ...models])
  assert.equal(inspect.status, 0, inspect.stderr)
  const out = join(tempDir(), 'report.html')
  const report = runCli(['report', '--db', db, '--out', out, ...models])
  assert.equal(report.status, 0, report.stderr)
  return readFileSync(out, 'utf8')
}

test('the default set: "synthetic" named, and the fit warning with its measure on noisy images', async () => {
  const folder = tempDir()
  for (let i = 0; i < 3; i++) {
    const grey = Uint8Array.from({ length: IMAGE_H * IMAGE_W }, (_, j) => 90 + (((j * 2654435761 + i * 97) >>> 0) % 151) - 75)
    await sharp(grey, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 1 } }).png().toFile(join(folder, `noise-${i}.png`))
  }
  const html = reportOf(folder, [])
  assert.match(html, /data-fact="trainedOn">Trained on: <b>synthetic images<\/b> — synthetic coils \(coilscope synth\) only, never real strips/)
  assert.match(html, /data-fact="fit"><b>Warning:<\/b> these images do not look like the images this model set was trained on: results may be unreliable — 3 of 3 images beyond the training images&#39;? range \(median distance [\d.]+/)
})

test('a set without provenance says so; no fingerprint, no warning', async () => {
  const folder = tempDir()
  await writeGray(join(folder, 'a.png'), stripWithBlock(100, { value: 240, top: 64, bottom: 128, left: 200, right: 800 }), 'png')
  const html = reportOf(folder, ['--models', join(FIXTURES, 'nchw')])
  assert.match(html, /data-fact="trainedOn"><b>Trained on: not recorded<\/b>/)
  assert.doesNotMatch(html, /data-fact="fit"/)
})
