// A model that gives NaN or an infinite probability fails that image, named as such; the run goes
// on and ends, and a re-run does the same. The real fixture models, made to overflow by a manifest
// with a tiny std (a real mistake): pixels above the mean become +Infinity, below it -Infinity, so a
// mean over both is NaN.
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStore } from '../../../src-main/store/index.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

/** A fixture set (nchw by default) with input std 1e-40: model inputs overflow to ±Infinity. */
function overflowingSet(withClassifier: boolean, fixture = 'nchw'): string {
  const dir = join(tempDir(), withClassifier ? 'overflow' : 'overflow-no-gate')
  cpSync(join(FIXTURES, fixture), dir, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  manifest.input.mean = [0.5, 0.5, 0.5]
  manifest.input.std = [1e-40, 1e-40, 1e-40]
  if (!withClassifier) delete manifest.classifier
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

async function folderOfStrips(): Promise<string> {
  const dir = tempDir()
  // Bright and dark pixels: the classifier's mean is +Infinity + -Infinity = NaN.
  await writeGray(join(dir, 'mixed.png'), stripWithBlock(100, { value: 240, top: 64, bottom: 128, left: 200, right: 800 }), 'png')
  // All below the mean: every input is -Infinity, the classifier's logit -Infinity, p = 0 (finite).
  await writeGray(join(dir, 'dark.png'), stripWithBlock(30), 'png')
  return dir
}

test('a NaN from the classifier fails that image alone, every run; the others are stored', async () => {
  const folder = await folderOfStrips()
  const models = overflowingSet(true)
  const db = join(tempDir(), 'nan.db')
  for (const attempt of [1, 2]) {
    const out = join(tempDir(), `s${attempt}.csv`)
    const run = runCli(['inspect', folder, '--models', models, '--provider', 'cpu', '--db', db, '--out', out, '--json'])
    assert.equal(run.status, 3, `run ${attempt}: ${run.stderr}`)
    const summary = JSON.parse(run.stdout)
    assert.deepEqual(summary.errors, [{ file: join(folder, 'mixed.png'), error: "unusable model output: the classifier's probability is NaN, not a finite number" }])
    assert.equal(summary.succeeded, attempt === 1 ? 1 : 0, 'dark.png is stored once and not redone')
    assert.match(readFileSync(out, 'utf8'), /\ndark\.png_1,\n/)
  }
  const store = openStore(db)
  const [image] = store.images.listBySource(store.sources.list()[0].id).filter((i) => i.relativePath === 'mixed.png')
  assert.equal(image.status, 'failed')
  assert.match(image.error ?? '', /NaN/)
  assert.deepEqual(store.checkIntegrity(), [])
  store.close()
})

test('NaN or infinite values from the segmenter fail that image, counted', async () => {
  const folder = await folderOfStrips()
  const run = runCli(['inspect', folder, '--models', overflowingSet(false), '--provider', 'cpu', '--out', join(tempDir(), 's.csv'), '--json'])
  assert.equal(run.status, 3, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.ok(summary.errors.length > 0, run.stdout)
  for (const e of summary.errors) assert.match(e.error, /^unusable model output: the segmenter's output has \d+ NaN or infinite values?$/)
})

test('an infinite probability from a classifier that outputs probabilities fails that image', async () => {
  const folder = tempDir()
  // nhwc's classifier outputs the mean input as its probability: all bright, it is +Infinity; all dark, -Infinity.
  await writeGray(join(folder, 'bright.png'), stripWithBlock(200), 'png')
  await writeGray(join(folder, 'dark.png'), stripWithBlock(30), 'png')
  const run = runCli(['inspect', folder, '--models', overflowingSet(true, 'nhwc'), '--provider', 'cpu', '--out', join(tempDir(), 's.csv'), '--json'])
  assert.equal(run.status, 3, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.deepEqual(summary.errors, [
    { file: join(folder, 'bright.png'), error: "unusable model output: the classifier's probability is Infinity, not a finite number" },
    { file: join(folder, 'dark.png'), error: "unusable model output: the classifier's probability is -Infinity, not a finite number" },
  ])
  assert.equal(summary.succeeded, 0)
})
