// `coilscope models quantize` on a small convolutional set, in a child process: the new set, its
// record (origin, calibration, members, parity), its listing, and the inputs it refuses.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { runCli } from '../../helpers/cli.ts'
import { tempDir, writeBlockImages } from '../../helpers/images.ts'
import { buildModel, seeded } from '../../helpers/onnxBuild.ts'

const root = tempDir('coilscope-quantize-')
const setDir = join(root, 'conv-set')
const calib = join(root, 'calib')
const holdout = join(root, 'holdout')
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/**
 * 1×1 conv 3→h, Relu, 1×1 conv h→4, sigmoid. 'sensitive': one weight of 40 in each output channel
 * of the second conv amplifies the int8 rounding of its input. 'spread': per channel one weight of
 * 1 among small ones, which int8 rounds coarsely (about 1.8 % of the weights' norm).
 */
function segmenter(seed: number, kind: 'plain' | 'sensitive' | 'spread'): Uint8Array {
  const random = seeded(seed)
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale)
  const h = kind === 'spread' ? 16 : 8
  const w2 = values(4 * h, kind === 'spread' ? 0.1 : 0.5)
  if (kind !== 'plain') for (let c = 0; c < 4; c++) w2[c * h] = kind === 'sensitive' ? 40 : 1
  return buildModel({
    input: { name: 'image', dims: ['batch', 3, 128, 800] },
    outputs: ['probability'],
    nodes: [
      { opType: 'Conv', inputs: ['image', 'w1', 'b1'], outputs: ['c1'] },
      { opType: 'Relu', inputs: ['c1'], outputs: ['r1'] },
      { opType: 'Conv', inputs: ['r1', 'w2', 'b2'], outputs: ['c2'] },
      { opType: 'Sigmoid', inputs: ['c2'], outputs: ['probability'] },
    ],
    weights: {
      w1: { dims: [h, 3, 1, 1], data: values(3 * h, 2) },
      b1: { dims: [h], data: values(h, 0.5) },
      w2: { dims: [4, h, 1, 1], data: w2 },
      b2: { dims: [4], data: values(4, 1) },
    },
  })
}

before(async () => {
  mkdirSync(setDir)
  const members = { 'seg-a.onnx': segmenter(1, 'plain'), 'seg-b.onnx': segmenter(2, 'sensitive'), 'seg-c.onnx': segmenter(3, 'spread') }
  for (const [file, bytes] of Object.entries(members)) writeFileSync(join(setDir, file), bytes)
  const manifest = {
    id: 'conv-set',
    version: '1.0.0',
    name: 'Convolutional test set',
    classes: [1, 2, 3, 4].map((id) => ({ id, name: `class ${id}`, color: '#e6b800' })),
    input: { height: 128, width: 800, layout: 'NCHW', channels: 3, scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
    segmenter: {
      members: Object.entries(members).map(([file, bytes]) => ({ file, sha256: sha256(bytes) })),
      output: 'probability',
      postprocess: { upper: [0.5, 0.5, 0.5, 0.5], lower: [0.5, 0.5, 0.5, 0.5], minArea: [0, 0, 0, 0] },
    },
    imageSize: { height: 256, width: 1600 },
  }
  writeFileSync(join(setDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  for (const dir of [calib, holdout]) mkdirSync(dir)
  await writeBlockImages(calib, 4)
  await writeBlockImages(holdout, 4, 100)
  writeFileSync(join(holdout, 'truth.csv'), 'ImageId,ClassId,EncodedPixels\ncoil-0100.jpg,1,1 400\n')
})

test('quantize writes a new set with its own hashes, its origin, the members it kept float and why, and its parity', () => {
  const out = join(root, 'conv-set-int8')
  const run = runCli(['models', 'quantize', setDir, '--calibrate', calib, '--out', out, '--holdout', holdout, '--threads', '1', '--max-weight-error', '0.015'])
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stdout, /^wrote conv-set-int8 to /)
  assert.match(run.stdout, /seg-a\.onnx: int8 \(2 nodes int8\)/)
  assert.match(run.stdout, /seg-b\.onnx: fp32 — its probabilities moved by 0\.\d{4} on average in int8 \(limit 0\.01\)/)
  assert.match(run.stdout, /seg-c\.onnx: mixed \(1 nodes int8\)\n {2}kept fp32: n2 — its weights lose \d+\.\d % in int8 \(limit 1\.5 %\)/)
  assert.match(run.stdout, /parity on 4 held-out images/)

  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
  assert.equal(manifest.id, 'conv-set-int8')
  const q = manifest.quantization
  assert.equal(q.origin.id, 'conv-set')
  assert.equal(q.origin.manifestSha256, sha256(readFileSync(join(setDir, 'manifest.json'))))
  assert.deepEqual(q.origin.members.map((m: { sha256: string }) => m.sha256), ['seg-a.onnx', 'seg-b.onnx', 'seg-c.onnx'].map((f) => sha256(readFileSync(join(setDir, f)))))
  assert.equal(q.calibration.images, 4)
  assert.equal(q.weightBits, 7)
  for (const member of manifest.segmenter.members) {
    assert.equal(member.sha256, sha256(readFileSync(join(out, member.file))), 'the manifest holds the int8 files\' own hashes')
    const origin = q.origin.members.find((m: { file: string }) => m.file === member.file).sha256
    // The member kept float whole is the float file itself.
    if (member.file === 'seg-b.onnx') assert.equal(member.sha256, origin)
    else assert.notEqual(member.sha256, origin)
  }
  assert.deepEqual(q.members.map((m: { precision: string }) => m.precision), ['int8', 'fp32', 'mixed'])
  assert.match(q.members[1].reason, /^its probabilities moved by/)
  assert.deepEqual(q.members[2].keptFp32.map((k: { node: string }) => k.node), ['n2'])
  assert.equal(q.parity.images, 4)
  assert.equal(q.parity.perClass.length, 4)
  assert.ok(q.parity.meanDiceBetween >= 0 && q.parity.meanDiceBetween <= 1)
  assert.ok(q.parity.probability.max > 0, 'the int8 maps differ somewhere from the float ones')
  assert.equal(typeof q.parity.meanDice.fp32, 'number', 'scored against the folder\'s truth.csv')
  assert.equal(typeof q.parity.verdict.meets, 'boolean')
  assert.deepEqual(readdirSync(root).filter((n) => n.includes('partial')), [], 'no partial folder is left behind')

  const listed = runCli(['models', out])
  assert.equal(listed.status, 0, listed.stderr)
  assert.match(listed.stdout, /conv-set-int8 1\.0\.0 {2}valid/)
  assert.match(listed.stdout, /int8 of conv-set 1\.0\.0 \(manifest [0-9a-f]{12}\), calibrated on 4 images/)
  assert.match(listed.stdout, /class 1: Dice between \d\.\d{4}; detected fp32/)

  // The new set is never written over, and an int8 set is not quantized again.
  const before = readFileSync(join(out, 'manifest.json'), 'utf8')
  const again = runCli(['models', 'quantize', setDir, '--calibrate', calib, '--out', out, '--threads', '1'])
  assert.equal(again.status, 2)
  assert.match(again.stderr, /conv-set-int8 already exists; name a new folder \(nothing there is replaced\)/)
  assert.equal(readFileSync(join(out, 'manifest.json'), 'utf8'), before)
  const twice = runCli(['models', 'quantize', out, '--calibrate', calib, '--out', join(root, 'twice'), '--threads', '1'])
  assert.equal(twice.status, 2)
  assert.match(twice.stderr, /already an int8 set \(quantized from conv-set\)/)
})

test('quantize refuses a missing, empty or unreadable calibration folder, and held-out images it calibrated on', () => {
  const out = join(root, 'never')
  const missing = runCli(['models', 'quantize', setDir, '--calibrate', join(root, 'nowhere'), '--out', out])
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /--calibrate .*nowhere: no such folder/)
  const empty = join(root, 'empty')
  mkdirSync(empty)
  const none = runCli(['models', 'quantize', setDir, '--calibrate', empty, '--out', out])
  assert.equal(none.status, 2)
  assert.match(none.stderr, /empty: no readable images in the calibration folder/)
  const broken = join(root, 'broken')
  mkdirSync(broken)
  writeFileSync(join(broken, 'coil-1.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]))
  const unreadable = runCli(['models', 'quantize', setDir, '--calibrate', broken, '--out', out])
  assert.equal(unreadable.status, 2)
  assert.match(unreadable.stderr, /broken: no readable images in the calibration folder \(1 unreadable: coil-1\.jpg: /)
  const overlap = runCli(['models', 'quantize', setDir, '--calibrate', calib, '--holdout', calib, '--out', out])
  assert.equal(overlap.status, 2)
  assert.match(overlap.stderr, /4 held-out images are also calibration images \(e\.g\. coil-0000\.jpg\)/)
  assert.deepEqual(readdirSync(root).filter((n) => n === 'never' || n.includes('partial')), [], 'nothing was written')
})
