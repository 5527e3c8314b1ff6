// Every formulation of a plant's export, end to end through `coilscope inspect`: exact masks
// against each fixture's closed form (test/fixtures/models/make_formulations.py), and the ones
// that cannot run refused up front with the fix.
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { before, test } from 'node:test'
import sharp from 'sharp'
import { encodeRle } from '../../../src-shared/rle.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { runCli } from '../../helpers/cli.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

const BAND1 = { top: 64, bottom: 128, left: 200, right: 800 } // model rows 32..63: class 2's band
const BAND0 = { top: 0, bottom: 64, left: 400, right: 1000 }
const BAND2 = { top: 128, bottom: 192, left: 200, right: 800 }
// Every test image in one folder: one `inspect` per set reads them all (a process per image
// would load the models again each time).
const images = tempDir()

async function folderWith(name: string, write: (path: string) => Promise<void>): Promise<void> {
  await write(join(images, `${name}.png`))
}

/** A grey (100) strip with a block whose red, green and blue are given. */
async function writeColourBlock(path: string, block: typeof BAND1, rgb: [number, number, number]): Promise<void> {
  const pixels = new Uint8Array(IMAGE_H * IMAGE_W * 3).fill(100)
  for (let y = block.top; y < block.bottom; y++) {
    for (let x = block.left; x < block.right; x++) pixels.set(rgb, (y * IMAGE_W + x) * 3)
  }
  await sharp(pixels, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 3 } }).png().toFile(path)
}

before(async () => {
  await folderWith('band1', (p) => writeGray(p, stripWithBlock(100, { value: 240, ...BAND1 }), 'png'))
  await folderWith('band1-black', (p) => writeGray(p, stripWithBlock(0, { value: 240, ...BAND1 }), 'png'))
  await folderWith('band2', (p) => writeGray(p, stripWithBlock(100, { value: 240, ...BAND2 }), 'png'))
  await folderWith('bands01', async (p) => {
    const gray = stripWithBlock(100, { value: 240, ...BAND1 })
    for (let y = BAND0.top; y < BAND0.bottom; y++) gray.fill(240, y * IMAGE_W + BAND0.left, y * IMAGE_W + BAND0.right)
    await writeGray(p, gray, 'png')
  })
  await folderWith('red', (p) => writeColourBlock(p, BAND1, [240, 100, 100]))
  await folderWith('blue', (p) => writeColourBlock(p, BAND1, [100, 100, 240]))
})

const inspected = new Map<string, ReturnType<typeof parseSeverstalCsv>>()

/** Runs `inspect` on every test image (once per set) and returns the RLE of each class (1..4) of `image`. */
function inspect(set: string, image: string): string[] {
  if (!inspected.has(set)) {
    const csv = join(tempDir(), 'out.csv')
    const run = runCli(['inspect', images, '--models', set, '--out', csv, '--provider', 'cpu'])
    assert.equal(run.status, 0, run.stderr)
    inspected.set(set, parseSeverstalCsv(readFileSync(csv, 'utf8'), csv))
  }
  const table = inspected.get(set)!
  assert.ok(table.imageIds.includes(`${image}.png`), `${image}.png was inspected`)
  return [1, 2, 3, 4].map((c) => table.masks.find((m) => m.imageId === `${image}.png` && m.classId === c)?.rle ?? '')
}

const rle = (block: typeof BAND1) => encodeRle(blockMask(block), IMAGE_H, IMAGE_W)
const onlyClass = (c: number, block: typeof BAND1) => [1, 2, 3, 4].map((id) => (id === c ? rle(block) : ''))

/**
 * stride4's closed form: the 32×200 output is 240/255 on output rows 8..15 × columns 25..99 (the
 * block's 4×4 means) and 0 elsewhere; scaled up with half-pixel centres it is 240/255 · a(row) ·
 * b(col), each factor the 1-D interpolation of that interval. Class 2 is where it exceeds 0.5: the
 * block less its four corner model pixels (0.941 · 0.625² = 0.37), replicated 2× to the image.
 */
function stride4Mask(): Uint8Array {
  const weight = (i: number, from: number, to: number) => {
    const at = Math.min(Math.max((i + 0.5) / 4 - 0.5, 0), 10_000)
    const lo = Math.floor(at)
    const f = at - lo
    const inside = (j: number) => (j >= from && j <= to ? 1 : 0)
    return inside(lo) * (1 - f) + inside(lo + 1) * f
  }
  const mask = new Uint8Array(IMAGE_H * IMAGE_W)
  for (let y = 0; y < IMAGE_H; y++) {
    for (let x = 0; x < IMAGE_W; x++) mask[y * IMAGE_W + x] = (240 / 255) * weight(y >> 1, 8, 15) * weight(x >> 1, 25, 99) > 0.5 ? 1 : 0
  }
  return mask
}

const cases: [string, string, string[]][] = [
  ['keras: NHWC, "input_1:0", fixed batch 1, sigmoid inside', 'band1', onlyClass(2, BAND1)],
  ['smp: NCHW, ImageNet mean/std, 4 logits, no classifier', 'band1', onlyClass(2, BAND1)],
  ['softmax5: background + 4 classes, one member with Softmax inside, one with logits', 'band1', onlyClass(2, BAND1)],
  ['perclass: one gate per class (class 1 at 0.941 < 0.95 is gated out, class 2 passes)', 'bands01', onlyClass(2, BAND1)],
  ['bgr: a BGR-trained model reads the red block as its channel 2', 'red', onlyClass(2, BAND1)],
  ['stride4: a 32×200 output scaled up bilinearly to 128×800', 'band1-black', ['', encodeRle(stride4Mask(), IMAGE_H, IMAGE_W), '', '']],
  ['partial: one channel mapped to class 3', 'band2', onlyClass(3, BAND2)],
  ['mixed: 128×800 Keras classifier, 256×1600 NCHW (ImageNet logits) + NHWC (0..1 sigmoid) segmenters', 'band1', onlyClass(2, BAND1)],
]

for (const [name, image, expected] of cases) {
  test(`inspect, exact masks — ${name}`, () => {
    assert.deepEqual(inspect(join(FIXTURES, name.split(':')[0]), image), expected)
  })
}

test('bgr: the blue block is not the model\'s red, and the same model declared RGB reads blue for red', () => {
  assert.deepEqual(inspect(join(FIXTURES, 'bgr'), 'blue'), ['', '', '', ''])
  const rgb = editedCopy('bgr', (m) => (m.input.channelOrder = 'RGB'))
  assert.deepEqual(inspect(rgb, 'blue'), onlyClass(2, BAND1))
  assert.deepEqual(inspect(rgb, 'red'), ['', '', '', ''])
})

test('perclass: with class 1\'s threshold lowered, both classes are segmented', () => {
  const lowered = editedCopy('perclass', (m) => (m.classifier.threshold = [0.9, 0.5, 0.5, 0.5]))
  assert.deepEqual(inspect(lowered, 'bands01'), [rle(BAND0), rle(BAND1), '', ''])
})

/** A copy of fixture set `name` with its manifest edited (as folder `as` under `root`, if given). */
function editedCopy(name: string, edit: (manifest: any) => void, root = tempDir(), as = name): string {
  const dir = join(root, as)
  mkdirSync(dir)
  cpSync(join(FIXTURES, name), dir, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  edit(manifest)
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

/** `inspect` on a set that must be refused before any image: exit status and message. */
function refused(set: string): string {
  const run = runCli(['inspect', images, '--models', set, '--out', join(tempDir(), 'x.csv'), '--provider', 'cpu'])
  assert.notEqual(run.status, 0)
  assert.doesNotMatch(run.stderr, /wrote /)
  return run.stderr
}

test('refused up front, naming the formulation and the fix', () => {
  // inspect refuses before any image; the other sets are checked by one `models --root` (the same load and checks).
  assert.match(refused(join(FIXTURES, 'refused')), /seg-float16\.onnx: input "image" is float16; Coilscope feeds float32 tensors: .*convert_float_to_float16\(model, keep_io_types=True\)/)
  const root = tempDir()
  editedCopy('refused', (m) => (m.segmenter.members = [{ file: 'seg-uint8.onnx' }]), root, 'uint8')
  // softmax's 5 channels declared as 5 sigmoid classes: the Softmax inside gives it away.
  const fiveClasses = (m: any, output: string) => {
    m.classes.push({ id: 5, name: 'fifth', color: '#123456' })
    for (const key of ['upper', 'lower', 'minArea'] as const) m.segmenter.postprocess[key].push(m.segmenter.postprocess[key][0])
    m.segmenter.output = output
    delete m.segmenter.background
    m.segmenter.members = [{ file: 'seg-softmax5-probs.onnx' }]
  }
  editedCopy('softmax5', (m) => fiveClasses(m, 'logit'), root, 'asSigmoid')
  editedCopy('softmax5', (m) => fiveClasses(m, 'probability'), root, 'asProbability')
  // 4 classes, no background declared: 5 channels look like softmax with a background.
  editedCopy('softmax5', (m) => {
    m.segmenter.output = 'logit'
    delete m.segmenter.background
    m.segmenter.members = [{ file: 'seg-softmax5-logits.onnx' }]
  }, root, 'noBackground')
  editedCopy('stride4', (m) => delete m.segmenter.outputSize, root, 'noOutputSize')
  editedCopy('perclass', (m) => {
    delete m.classifier.gate
    m.classifier.threshold = 0.5
  }, root, 'anyGate')
  editedCopy('keras', (m) => (m.segmenter.output = 'logit'), root, 'sigmoidTwice')
  const listed = runCli(['models', '--root', root, '--json'])
  const problems = Object.fromEntries(
    (JSON.parse(listed.stdout) as { dir: string; valid: boolean; problems: string[] }[]).map((s) => {
      assert.equal(s.valid, false, s.dir)
      return [basename(s.dir), s.problems.join('\n')]
    }),
  )
  assert.equal(Object.keys(problems).length, 7)
  assert.match(problems.uint8, /seg-uint8\.onnx: input "image" is uint8; .*"scale"/)
  assert.match(problems.asSigmoid, /seg-softmax5-probs\.onnx: output "probs" comes from Softmax, so it holds probabilities already, declared "logit"/)
  assert.match(problems.asProbability, /comes from Softmax across its 5 channels, so one of them is probably background: set "background"/)
  assert.match(problems.noBackground, /has shape \[N, 5, 128, 800\], the manifest expects \[batch, 4, 128, 800\]; 5 channels for 4 classes looks like softmax with a background channel/)
  assert.match(problems.noOutputSize, /its output is 32×200: set "outputSize": \{ "height": 32, "width": 200 \}/)
  assert.match(problems.anyGate, /cls-perclass\.onnx: output "probability" has shape \[N, 4\], the manifest expects \[batch, 1\]; 4 values per image look like one gate per class: set "gate": "perClass"/)
  assert.match(problems.sigmoidTwice, /keras-seg\.onnx: output "conv2d_18" comes from Sigmoid, so it holds probabilities already, declared "logit"/)
})
