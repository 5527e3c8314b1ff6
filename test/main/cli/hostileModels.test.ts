// Models as other toolchains export them (test/fixtures/models/make_hostile.py), through
// `coilscope inspect`: each runs with the exact masks of its closed form, or is refused with a
// reason that names the file (most sets refused on load are checked together by one
// `coilscope models --root`, the same load inspect does first). Never silently wrong.
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { before, test } from 'node:test'
import sharp from 'sharp'
import { encodeRle } from '../../../src-shared/rle.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { runCli, type CliRun } from '../../helpers/cli.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir } from '../../helpers/images.ts'

const HOSTILE = join(FIXTURES, 'hostile')
const BAND1 = { top: 64, bottom: 128, left: 200, right: 800 } // model rows 32..63 at 128×800: class 2's band
const CLASS2 = ['', encodeRle(blockMask(BAND1), IMAGE_H, IMAGE_W), '', '']
let images = ''

before(async () => {
  images = tempDir()
  // Grey stored in 3 channels, as Severstal's JPEGs are: every channel equal (PNG keeps it exact).
  const grey = stripWithBlock(100, { value: 240, ...BAND1 })
  const rgb = new Uint8Array(grey.length * 3).map((_, i) => grey[Math.floor(i / 3)])
  await sharp(rgb, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 3 } }).png().toFile(join(images, 'band1.png'))
})

type Manifest = Record<string, any>

/** A set of one segmenter, `file`, with the manifest's keys edited by `edit` (as folder `as` under `root`, if given). */
function setOf(file: string, edit: (m: Manifest) => void = () => {}, root = tempDir(), as = file.replace('.onnx', '')): string {
  const dir = join(root, as)
  mkdirSync(dir)
  copyFileSync(join(HOSTILE, file), join(dir, file))
  const manifest: Manifest = {
    schemaVersion: 2,
    id: 'hostile',
    version: '1.0.0',
    name: 'hostile',
    classes: [1, 2, 3, 4].map((id) => ({ id, name: `class ${id}`, color: '#e6b800' })),
    input: { height: 128, width: 800, layout: 'NCHW', channels: 3, scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
    segmenter: { members: [{ file }], output: 'logit', postprocess: { upper: [0.7, 0.7, 0.7, 0.7], lower: [0.4, 0.5, 0.4, 0.5], minArea: [180, 260, 200, 500] } },
    tta: ['none'],
    imageSize: { height: 256, width: 1600 },
  }
  edit(manifest)
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

function inspect(set: string): { run: CliRun; masks: string[] } {
  const csv = join(tempDir(), 'out.csv')
  const run = runCli(['inspect', images, '--models', set, '--out', csv, '--provider', 'cpu'])
  if (run.status !== 0) return { run, masks: [] }
  const table = parseSeverstalCsv(readFileSync(csv, 'utf8'), csv)
  return { run, masks: [1, 2, 3, 4].map((c) => table.masks.find((m) => m.classId === c)?.rle ?? '') }
}

function runsExactly(set: string): void {
  const { run, masks } = inspect(set)
  assert.equal(run.status, 0, run.stderr)
  assert.deepEqual(masks, CLASS2)
}

/** Refused: a non-zero exit, no CSV rows, and a reason that names the model file. */
function refusedWith(set: string, file: string, reason: RegExp): void {
  const { run } = inspect(set)
  assert.notEqual(run.status, 0, `ran: ${run.stdout}`)
  assert.match(run.stderr, new RegExp(`${join(set, file).replace(/[.]/g, '\\.')}: `))
  assert.match(run.stderr, reason)
}

// The sets refused when they load, under one root: one `models --root` checks them all, with the
// load and checks inspect runs first (the grey set below is refused by inspect itself).
const refusedOnLoad = {
  'softmax-opset11': () => setOf('softmax-opset11.onnx', (m) => Object.assign(m.segmenter, { output: 'probability', background: 0 }), refusedRoot),
  'softmax-width': () => setOf('softmax-width.onnx', (m) => Object.assign(m.segmenter, { output: 'probability', background: 0 }), refusedRoot),
  'argmax-int64': () => setOf('argmax-int64.onnx', () => {}, refusedRoot),
  'aux-unnamed': () => setOf('aux-heads.onnx', () => {}, refusedRoot, 'aux-unnamed'),
  'aux-misnamed': () => setOf('aux-heads.onnx', (m) => (m.segmenter.members[0].outputName = 'masks'), refusedRoot, 'aux-misnamed'),
}
const refusedRoot = tempDir()
let loadProblems: Record<string, string> | null = null

/** Refused when the set loads: invalid, and a reason that names the model file. */
function refusedOnLoadWith(name: keyof typeof refusedOnLoad, file: string, reason: RegExp): void {
  if (!loadProblems) {
    for (const make of Object.values(refusedOnLoad)) make()
    const listed = runCli(['models', '--root', refusedRoot, '--json'])
    loadProblems = Object.fromEntries(
      (JSON.parse(listed.stdout) as { dir: string; valid: boolean; problems: string[] }[]).map((s) => [basename(s.dir), s.valid ? 'VALID' : s.problems.join('\n')]),
    )
  }
  const problems = loadProblems[name]
  assert.match(problems, new RegExp(`${join(refusedRoot, name, file).replace(/[.]/g, '\\.')}: `))
  assert.match(problems, reason)
}

test('a grey model, [N, 1, H, W], runs exactly with "channels": 1', () => {
  runsExactly(setOf('gray-nchw.onnx', (m) => Object.assign(m.input, { channels: 1, mean: [0], std: [1] })))
})

test('a grey model declared with 3 channels is refused, with the fix', () => {
  refusedWith(setOf('gray-nchw.onnx'), 'gray-nchw.onnx', /has shape \[N, 1, 128, 800\], the manifest expects \[batch, 3, 128, 800\].*"channels": 1/)
})

test('named (symbolic) axes everywhere run exactly', () => {
  runsExactly(setOf('symbolic.onnx'))
})

test('a fixed [1, 3, 256, 1600] model runs exactly, one image at a time', () => {
  runsExactly(setOf('fixed-full.onnx', (m) => Object.assign(m.input, { height: 256, width: 1600 })))
})

test('opset 11, and input and output names with dots, slashes and colons, run exactly', () => {
  runsExactly(setOf('opset11-names.onnx', (m) => (m.segmenter.output = 'probability')))
})

test('an output whose size shows only at run time, smaller than declared, is refused when it runs', () => {
  refusedWith(setOf('symbolic-stride4.onnx'), 'symbolic-stride4.onnx', /output "logits" gave 25600 values per image, the manifest expects 409600 \(4×128×800\); its size shows only when it runs: declare the size it gives with "outputSize"/)
})

test('Softmax in opset 11 over a 4-axis output normalises over every value, not per pixel: refused', () => {
  refusedOnLoadWith('softmax-opset11', 'softmax-opset11.onnx', /Softmax of opset 11 across axis 1 of a 4-axis output .*not per pixel/)
})

test('Softmax across the width rather than the channels: refused', () => {
  refusedOnLoadWith('softmax-width', 'softmax-width.onnx', /Softmax across axis -1 \(width\), not the channel axis/)
})

test('an int64 label map (ArgMax) is refused: there are no probabilities to threshold', () => {
  refusedOnLoadWith('argmax-int64', 'argmax-int64.onnx', /output "labels" is int64, made by ArgMax: a map of class labels.*before the ArgMax/)
})

test('two outputs (an auxiliary head): refused until the manifest names the one to read, then exact', () => {
  refusedOnLoadWith('aux-unnamed', 'aux-heads.onnx', /this one has 2 \(mask, aux\): set the member.s "outputName" to the one that holds the masks/)
  runsExactly(setOf('aux-heads.onnx', (m) => (m.segmenter.members[0].outputName = 'mask')))
  refusedOnLoadWith('aux-misnamed', 'aux-heads.onnx', /no output named "masks"; it has mask, aux/)
})

test('models init on a model with two outputs reads the one with 4 axes, marked unconfirmed, and the draft validates', () => {
  const dir = join(tempDir(), 'aux')
  mkdirSync(dir)
  copyFileSync(join(HOSTILE, 'aux-heads.onnx'), join(dir, 'aux-heads.onnx'))
  const init = runCli(['models', 'init', dir])
  assert.equal(init.status, 0, init.stderr)
  assert.match(init.stdout, /aux-heads\.onnx: segmenter; .*reads output "mask" of 2 \(guessed\)/)
  const [status] = JSON.parse(runCli(['models', '--root', dir, '--json']).stdout)
  assert.equal(status.valid, true, status.problems.join('\n'))
  assert.ok(status.unconfirmed.includes('segmenter.members.0.outputName'))
  assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).segmenter.members[0].outputName, 'mask')
})
