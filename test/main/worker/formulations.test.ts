// Export formulations in the real inference process and the real Inspector: fixed-batch models under
// the GPU's batching code (run on the CPU), mixed members, per-class gates at their bounds, and the
// member-by-member path against the plain one.
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { encodeRle } from '../../../src-shared/rle.ts'
import { loadModelSet } from '../../../src-main/inference/index.ts'
import { toClassPlanes } from '../../../src-main/pipeline/classMaps.ts'
import { decodeImage } from '../../../src-main/pipeline/decode.ts'
import { runStage } from '../../../src-main/pipeline/ensemble.ts'
import type { FileOutcome } from '../../../src-main/pipeline/index.ts'
import { Inspector } from '../../../src-main/pipeline/inspector.ts'
import { runMemberStage } from '../../../src-main/pipeline/memberStage.ts'
import { forkWorker, InferenceClient } from '../../../src-main/worker/index.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

const dir = tempDir()
const blocks = Array.from({ length: 6 }, (_, i) => ({ value: 240, top: 64, bottom: 128, left: 100 * i, right: 100 * i + 600 }))
const paths = blocks.map((_, i) => join(dir, `img-${i}.png`))

before(async () => {
  for (const [i, path] of paths.entries()) await writeGray(path, stripWithBlock(100, blocks[i]), 'png')
})

async function inspectInWorker(set: string, inspector: { batchSize: number; preallocate?: boolean }): Promise<FileOutcome[]> {
  const client = new InferenceClient(forkWorker, { modelsDir: join(FIXTURES, set), provider: 'cpu', threads: 1, inspector })
  const outcomes: FileOutcome[] = []
  try {
    await client.inspect(paths, (o) => outcomes.push(o))
  } finally {
    client.close()
  }
  return outcomes
}

function assertBlocks(outcomes: readonly FileOutcome[]): void {
  assert.deepEqual(outcomes.map((o) => o.path), paths)
  outcomes.forEach((o, i) => {
    assert.ok(o.ok, o.ok ? '' : o.error)
    assert.deepEqual(o.inspection.classes.map((c) => c.rle), ['', encodeRle(blockMask(blocks[i]), IMAGE_H, IMAGE_W), '', ''])
  })
}

test('a fixed-batch-1 Keras export under the GPU batching code (batches of 4, outputs pre-allocated) gives the masks of one image at a time', async () => {
  const batched = await inspectInWorker('keras', { batchSize: 4, preallocate: true })
  assertBlocks(batched)
  const single = await inspectInWorker('keras', { batchSize: 1 })
  batched.forEach((o, i) => {
    const one = single[i]
    assert.ok(o.ok && one.ok)
    assert.deepEqual(o.inspection.probMapsU8, one.inspection.probMapsU8)
    assert.equal(o.inspection.gateProbability, one.inspection.gateProbability)
  })
})

test('mixed members (NCHW ImageNet logits + NHWC sigmoid at 256×1600, a 128×800 batch-1 classifier) in batches of 4', async () => {
  assertBlocks(await inspectInWorker('mixed', { batchSize: 4, preallocate: true }))
})

test('per-class gate decisions at the bounds: p >= threshold passes, the next double above does not', async () => {
  const bytes = readFileSync(join(dir, 'img-0.png'))
  const image = await decodeImage(bytes, { channels: 3 })
  const classGateOf = async (thresholds: number[]) => {
    const setDir = join(tempDir(), 'perclass')
    cpSync(join(FIXTURES, 'perclass'), setDir, { recursive: true })
    const manifest = JSON.parse(readFileSync(join(setDir, 'manifest.json'), 'utf8'))
    manifest.classifier.threshold = thresholds
    writeFileSync(join(setDir, 'manifest.json'), JSON.stringify(manifest))
    const set = await loadModelSet(setDir, { provider: 'cpu', threads: 1 })
    try {
      const { inspections } = await new Inspector(set).inspectBatch([image])
      return inspections[0]
    } finally {
      await set.release()
    }
  }
  const first = await classGateOf([0.5, 0.5, 0.5, 0.5])
  assert.ok(first.classGates)
  const p2 = first.classGates.probabilities[1]
  assert.equal(p2, Math.fround(240 / 255)) // the brightest value in band 1
  const atBound = await classGateOf([1, p2, 1, 1])
  assert.deepEqual(atBound.classGates?.passed, [false, true, false, false])
  assert.equal(atBound.isGatedIn, true)
  assert.equal(atBound.classes[1].rle, encodeRle(blockMask(blocks[0]), IMAGE_H, IMAGE_W))
  const above = await classGateOf([1, p2 + Number.EPSILON * p2, 1, 1])
  assert.deepEqual(above.classGates?.passed, [false, false, false, false])
  assert.equal(above.isGatedIn, false)
  assert.equal(above.classes[1].rle, '')
  // A class turned away by its gate is empty even when the image is segmented for another class.
  const mixedGate = await classGateOf([0.3, 1, 1, 1])
  assert.deepEqual(mixedGate.classGates?.passed, [true, false, false, false])
  assert.equal(mixedGate.classes[1].rle, '')
  assert.equal(mixedGate.probMapsU8?.subarray(128 * 800, 2 * 128 * 800).every((q) => q === 0), true)
})

test('on a plain stage, the member-by-member path gives the plain path\'s probabilities bit for bit', async () => {
  for (const name of ['nhwc', 'nchw', 'tta']) {
    const set = await loadModelSet(join(FIXTURES, name), { provider: 'cpu', threads: 1 })
    try {
      const members = set.formulations.segmenter
      const { layout, height, width } = members[0].input
      const input = new Float32Array(2 * height * width * 3).map((_, i) => ((i * 7919) % 1000) / 1000)
      const dims = layout === 'NHWC' ? [2, height, width, 3] : [2, 3, height, width]
      const plain = await runStage({ sessions: set.segmenters, weights: members.map((m) => m.weight), output: set.manifest.segmenter.output, layout, views: set.manifest.tta }, input, dims)
      const byMember = await runMemberStage({ sessions: set.segmenters, members, targets: [1, 2, 3, 4], height, width, views: set.manifest.tta }, () => input, 2)
      for (const b of [0, 1]) {
        const planes = toClassPlanes(plain.probabilities, b, layout, 4, height, width)
        assert.deepEqual(byMember.probabilities.subarray(b * planes.length, (b + 1) * planes.length), planes, `${name}, item ${b}`)
      }
    } finally {
      await set.release()
    }
  }
})

test('a per-class classifier under one explicit gate threshold (a review override) gates on its highest class', async () => {
  const image = await decodeImage(readFileSync(join(dir, 'img-0.png')), { channels: 3 })
  const set = await loadModelSet(join(FIXTURES, 'perclass'), { provider: 'cpu', threads: 1 })
  try {
    const p = Math.fround(240 / 255) // band 1's brightest value: the highest class probability
    const at = (await new Inspector(set, { gateThreshold: p }).inspectBatch([image])).inspections[0]
    assert.deepEqual([at.isGatedIn, at.gateProbability, at.classGates], [true, p, null])
    assert.equal(at.classes[1].rle, encodeRle(blockMask(blocks[0]), IMAGE_H, IMAGE_W))
    const above = (await new Inspector(set, { gateThreshold: p + Number.EPSILON }).inspectBatch([image])).inspections[0]
    assert.equal(above.isGatedIn, false)
  } finally {
    await set.release()
  }
})
