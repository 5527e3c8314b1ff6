// `coilscope inspect`, `score` and `models` as a user runs them.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import sharp from 'sharp'
import { encodeRle } from '../../../src-shared/rle.ts'
import { formatSeverstalCsv, parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { runCli } from '../../helpers/cli.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

const BLOCK = { value: 240, top: 64, bottom: 128, left: 200, right: 800 }
const folder = tempDir()
const out = tempDir()
const NCHW = join(FIXTURES, 'nchw') // logit outputs: far from the thresholds, so JPEG noise does not matter

before(async () => {
  await writeGray(join(folder, 'good-a.jpg'), stripWithBlock(100, BLOCK), 'jpeg')
  await writeGray(join(folder, 'good-b.png'), stripWithBlock(100, BLOCK), 'png')
  await writeGray(join(folder, 'gray-1ch.jpg'), stripWithBlock(100, BLOCK), 'jpeg', 1)
  await writeGray(join(folder, 'dark.jpg'), stripWithBlock(30), 'jpeg')
  const jpeg = readFileSync(join(folder, 'good-a.jpg'))
  writeFileSync(join(folder, 'zz-copy-of-good-a.jpg'), jpeg)
  writeFileSync(join(folder, 'corrupt.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)))
  writeFileSync(join(folder, 'text-named.jpg'), 'this is not an image\n')
  writeFileSync(join(folder, 'notes.txt'), 'inspection notes\n')
})

test('the test images really have 3 and 1 channels', async () => {
  assert.equal((await sharp(join(folder, 'good-a.jpg')).metadata()).channels, 3)
  assert.equal((await sharp(join(folder, 'gray-1ch.jpg')).metadata()).channels, 1)
})

test('inspect: good images complete, bad files fail alone with path and reason, exit 3', () => {
  const csv = join(out, 's.csv')
  const run = runCli(['inspect', folder, '--models', NCHW, '--out', csv, '--provider', 'cpu'])
  assert.equal(run.status, 3, run.stderr)
  assert.match(run.stderr, new RegExp(`${join(folder, 'corrupt.jpg')}: cannot decode JPEG: .*premature end`, 'i'))
  assert.match(run.stderr, new RegExp(`${join(folder, 'text-named.jpg')}: not an image`))
  assert.match(run.stderr, /skipped 1 non-image file\(s\): notes\.txt/)
  assert.match(run.stderr, /1 duplicate\(s\) inspected once: zz-copy-of-good-a\.jpg = good-a\.jpg/)
  assert.match(run.stderr, /gate: 3 segmented, 1 gated out/)
  const table = parseSeverstalCsv(readFileSync(csv, 'utf8'), csv)
  assert.equal(table.format, 'kaggle2019')
  // The copy is inspected once but listed, with its original's masks.
  assert.deepEqual(table.imageIds, ['dark.jpg', 'good-a.jpg', 'good-b.png', 'gray-1ch.jpg', 'zz-copy-of-good-a.jpg'])
  const expected = encodeRle(blockMask(BLOCK), IMAGE_H, IMAGE_W)
  assert.deepEqual(table.masks, ['good-a.jpg', 'good-b.png', 'gray-1ch.jpg', 'zz-copy-of-good-a.jpg'].map((imageId) => ({ imageId, classId: 2, rle: expected })))
})

test('inspect --json --format kaggle, then score against the truth: Dice 1', () => {
  const csv = join(out, 'k.csv')
  const run = runCli(['inspect', folder, '--models', NCHW, '--out', csv, '--format', 'kaggle', '--json', '--provider', 'auto'])
  assert.equal(run.status, 3)
  const summary = JSON.parse(run.stdout)
  assert.equal(summary.succeeded, 4)
  assert.equal(summary.errors.length, 2)
  assert.equal(summary.provider, 'cpu')
  assert.deepEqual(summary.perClass.map((c: { images: number }) => c.images), [0, 3, 0, 0])
  assert.ok(summary.medianMs.decodeMs > 0 && summary.medianMs.postMs > 0)
  assert.match(readFileSync(csv, 'utf8'), /^ImageId,ClassId,EncodedPixels\ngood-a\.jpg,2,/)

  const truth = join(out, 'truth.csv')
  const rle = encodeRle(blockMask(BLOCK), IMAGE_H, IMAGE_W)
  const defective = ['good-a.jpg', 'good-b.png', 'gray-1ch.jpg', 'zz-copy-of-good-a.jpg']
  writeFileSync(truth, formatSeverstalCsv('kaggle2019', ['dark.jpg', ...defective], [1, 2, 3, 4], defective.map((imageId) => ({ imageId, classId: 2, rle }))))
  const score = runCli(['score', csv, truth, '--json'])
  assert.equal(score.status, 0, score.stderr)
  const result = JSON.parse(score.stdout)
  assert.equal(result.meanDice, 1)
  assert.equal(result.pairs, 20)
  assert.equal(result.perClass[1].detectionRecall, 1)
})

test('score: a missed defect shows in the per-class breakdown', () => {
  const truth = join(out, 't2.csv')
  const predicted = join(out, 'p2.csv')
  writeFileSync(truth, 'ImageId,ClassId,EncodedPixels\na.jpg,1,1 10\nb.jpg,3,5 5\n')
  writeFileSync(predicted, 'ImageId_ClassId,EncodedPixels\na.jpg_1,1 10\na.jpg_2,\na.jpg_3,\na.jpg_4,\nb.jpg_1,\nb.jpg_2,\nb.jpg_3,\nb.jpg_4,\n')
  const run = runCli(['score', predicted, truth])
  assert.equal(run.status, 0)
  assert.match(run.stdout, /^Mean Dice 0\.8750 over 8 \(image, class\) pairs, 2 images/)
  assert.match(run.stdout, /\n {4}3 +0\.5000 +0\.0000 +1 +0\.0% +0\.0% +1\n/)
})

test('usage problems exit 2 with one line and no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['inspect', join(folder, 'nope')], /: no such folder$/],
    [['inspect', folder, '--format', 'xml'], /option '--format <format>' argument 'xml' is invalid/],
    [['inspect', folder, '--provider', 'tpu'], /expected one of auto, cuda, cpu/],
    [['inspect', folder, '--models', folder], /manifest\.json: cannot read the manifest \(ENOENT\)$/],
    [['inspect', folder, '--models', NCHW, '--provider', 'cuda'], /--provider cuda: onnxruntime-node's CUDA provider is not installed/],
    [['score', join(out, 'missing.csv'), join(out, 'missing.csv')], /missing\.csv: cannot read \(ENOENT\)$/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ]
  for (const [args, message] of cases) {
    const run = runCli(args)
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`)
    const firstLine = run.stderr.trim().split('\n')[0]
    assert.match(firstLine, message)
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
  }
})

test('models lists each set with its validation status', () => {
  const run = runCli(['models', '--root', FIXTURES, '--json'])
  assert.equal(run.status, 0, run.stderr)
  const sets = JSON.parse(run.stdout)
  const byDir = Object.fromEntries(sets.map((s: { dir: string }) => [s.dir.split('/').at(-1), s]))
  const valid = ['bgr', 'keras', 'mixed', 'nchw', 'nhwc', 'partial', 'perclass', 'smp', 'softmax5', 'stride4', 'tta']
  assert.deepEqual(Object.keys(byDir).sort(), [...valid, 'refused'].sort())
  for (const name of valid) assert.equal(byDir[name].valid, true, `${name}: ${byDir[name].problems}`)
  assert.equal(byDir.refused.valid, false)
  assert.match(byDir.refused.problems[0], /seg-float16\.onnx: input "image" is float16/)
  assert.deepEqual(byDir.nhwc.segmenters, ['seg-band-nhwc.onnx', 'seg-half-nhwc.onnx'])
})

test('--help and --version work', () => {
  const help = runCli(['--help'])
  assert.equal(help.status, 0)
  assert.match(help.stdout, /inspect \[options\] <folder>/)
  assert.match(runCli(['--version']).stdout, /^\d+\.\d+\.\d+/)
})
