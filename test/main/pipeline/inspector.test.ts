// End to end through real onnxruntime sessions on the closed-form fixture models: exact masks.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { encodeRle } from '../../../src-shared/rle.ts'
import { loadModelSet, type LoadedModelSet } from '../../../src-main/inference/index.ts'
import { decodeImage, Inspector } from '../../../src-main/pipeline/index.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

// A bright block in image rows 64..127 = model rows 32..63 = the band of class 2.
const BLOCK = { value: 240, top: 64, bottom: 128, left: 200, right: 800 }
const dir = tempDir()
const sets: Record<string, LoadedModelSet> = {}

before(async () => {
  await writeGray(join(dir, 'block.png'), stripWithBlock(100, BLOCK), 'png')
  await writeGray(join(dir, 'dark.png'), stripWithBlock(40, BLOCK), 'png', 1)
  for (const name of ['nhwc', 'nchw', 'tta']) sets[name] = await loadModelSet(join(FIXTURES, name), { provider: 'cpu', threads: 1 })
})
after(async () => {
  for (const set of Object.values(sets)) await set.release()
})

const decode = async (name: string) => decodeImage(new Uint8Array(readFileSync(join(dir, name))), { channels: 3, expectedSize: { height: IMAGE_H, width: IMAGE_W } })

for (const name of ['nhwc', 'nchw']) {
  test(`${name}: gate, class planes and RLE are exactly the closed form`, async () => {
    const { inspections } = await new Inspector(sets[name]).inspectBatch([await decode('block.png')])
    const [inspection] = inspections
    // mean intensity = (100 + 140·38400/409600) / 255 = 0.4436 ≥ 0.3
    assert.equal(inspection.isGatedIn, true)
    const expectedGate = name === 'nhwc' ? 113.125 / 255 : 1 / (1 + Math.exp(-20 * (113.125 / 255 - 0.3)))
    assert.ok(Math.abs(inspection.gateProbability! - expectedGate) < 1e-3) // float32 ReduceMean over 307,200 values
    assert.deepEqual(inspection.classes.map((c) => c.areaPx), [0, 64 * 600, 0, 0])
    assert.equal(inspection.classes[1].rle, encodeRle(blockMask(BLOCK), IMAGE_H, IMAGE_W))
    // nhwc: mean of p = I and p = I/2 → 0.75·240 = 180; nchw: sigmoid(12·(240/255 − 0.5)) → 254
    const plane = 128 * 800
    const inBlock = plane + 40 * 800 + 200 // class 2, model row 40, column 200
    assert.equal(inspection.probMapsU8![inBlock], name === 'nhwc' ? 180 : 254)
    assert.equal(inspection.probMapsU8![plane + 40 * 800 + 50], name === 'nhwc' ? 75 : Math.round(255 / (1 + Math.exp(-12 * (100 / 255 - 0.5)))))
    assert.equal(inspection.probMapsU8![10 * 800 + 50], name === 'nhwc' ? 75 : Math.round(255 / (1 + Math.exp(-12 * (100 / 255 - 0.5)))))
    assert.equal(inspection.probMapsU8![2 * plane + 10], name === 'nhwc' ? 0 : 0) // outside its band
  })
}

test('a dark 1-channel image is gated out: every class empty, no maps', async () => {
  const image = await decode('dark.png')
  assert.equal(image.channels, 3)
  const { inspections } = await new Inspector(sets.nhwc).inspectBatch([image])
  assert.equal(inspections[0].isGatedIn, false)
  assert.equal(inspections[0].probMapsU8, null)
  assert.deepEqual(inspections[0].classes.map((c) => c.rle), ['', '', '', ''])
})

test('a batch gates each image on its own and keeps the order', async () => {
  const images = [await decode('dark.png'), await decode('block.png'), await decode('dark.png')]
  const { inspections } = await new Inspector(sets.nhwc).inspectBatch(images)
  assert.deepEqual(inspections.map((i) => i.isGatedIn), [false, true, false])
  assert.equal(inspections[1].classes[1].areaPx, 64 * 600)
})

test('gate threshold override 0 segments everything; a profile override moves the masks', async () => {
  const image = await decode('dark.png') // 40 everywhere, 240 in the block
  const inspector = new Inspector(sets.nhwc, { gateThreshold: 0, profile: { upper: [0.7, 0.7, 0.7, 0.7], lower: [0.1, 0.1, 0.1, 0.1], minAreaModelPx: [1, 1, 1, 1] } })
  const { inspections } = await inspector.inspectBatch([image])
  // lower 0.1: background 0.75·40/255 = 0.118 > 0.1, so class 2's mask covers its whole band.
  assert.deepEqual(inspections[0].classes.map((c) => c.areaPx), [0, 64 * 1600, 0, 0])
})

test('hflip TTA averages a column ramp into its closed form I/2', async () => {
  const image = await decode('block.png')
  const { inspections } = await new Inspector(sets.tta).inspectBatch([image])
  const maps = inspections[0].probMapsU8!
  const plane = 128 * 800
  assert.equal(inspections[0].gateProbability, null) // no classifier: every image is segmented
  for (const col of [0, 150, 399, 799]) assert.equal(maps[plane + 40 * 800 + col], col >= 100 && col < 400 ? 120 : 50)
})

test('member disagreement: two segmenters (I and I/2) differ by 0.25·I where the ensemble leans to a defect', async () => {
  const [nhwc] = (await new Inspector(sets.nhwc).inspectBatch([await decode('block.png')])).inspections
  const disagreement = nhwc.classes.map((c) => c.disagreement)
  assert.ok(Math.abs(disagreement[1]! - (0.25 * 240) / 255) < 1e-4, `class 2: ${disagreement[1]}`)
  assert.deepEqual([disagreement[0], disagreement[2], disagreement[3]], [0, 0, 0]) // nothing leans there
  const [single] = (await new Inspector(sets.nchw).inspectBatch([await decode('block.png')])).inspections
  assert.deepEqual(single.classes.map((c) => c.disagreement), [null, null, null, null]) // one member, no TTA
})
