// A merged stage (all members in one ONNX graph, one session) gives exactly what separate sessions
// give: the same gate probabilities, the same uint8 maps and the same masks, on every fixture set
// and on multi-member sets built from the fixtures (weights, logit outputs, TTA).
import assert from 'node:assert/strict'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { loadModelSet } from '../../../src-main/inference/index.ts'
import { decodeImage, Inspector, type DecodedImage } from '../../../src-main/pipeline/index.ts'
import { FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeBlockImages, writeGray } from '../../helpers/images.ts'

const images: DecodedImage[] = []

before(async () => {
  const dir = tempDir()
  await writeGray(join(dir, 'block.png'), stripWithBlock(100, { value: 240, top: 64, bottom: 128, left: 200, right: 800 }), 'png')
  await writeGray(join(dir, 'dark.png'), stripWithBlock(40, { value: 240, top: 0, bottom: 64, left: 0, right: 300 }), 'png', 1)
  const names = ['block.png', 'dark.png', ...(await writeBlockImages(dir, 4, 9))]
  for (const name of names) {
    images.push(await decodeImage(new Uint8Array(readFileSync(join(dir, name))), { channels: 3, expectedSize: { height: IMAGE_H, width: IMAGE_W } }))
  }
})

type Member = { file: string; weight?: number }

/** A set built from fixture `name` with other members: `copies` names new files copied from fixture files. */
function derivedSet(name: string, stages: { classifier?: Member[]; segmenter: Member[] }, copies: Record<string, string> = {}, edit: (m: any) => void = () => {}): string {
  const dir = tempDir()
  const manifest = JSON.parse(readFileSync(join(FIXTURES, name, 'manifest.json'), 'utf8'))
  for (const stage of [manifest.classifier, manifest.segmenter]) for (const m of stage?.members ?? []) copyFileSync(join(FIXTURES, name, m.file), join(dir, m.file))
  for (const [file, from] of Object.entries(copies)) copyFileSync(join(FIXTURES, from), join(dir, file))
  if (stages.classifier) manifest.classifier.members = stages.classifier
  manifest.segmenter.members = stages.segmenter
  edit(manifest)
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

const SETS: Record<string, () => string> = {
  nhwc: () => join(FIXTURES, 'nhwc'),
  nchw: () => join(FIXTURES, 'nchw'),
  tta: () => join(FIXTURES, 'tta'),
  'nhwc, weights 3:1': () => derivedSet('nhwc', { segmenter: [{ file: 'seg-band-nhwc.onnx', weight: 3 }, { file: 'seg-half-nhwc.onnx', weight: 1 }] }),
  'nchw, logit members twice with weights': () =>
    derivedSet(
      'nchw',
      { classifier: [{ file: 'cls-logit-nchw.onnx' }, { file: 'cls-b.onnx', weight: 2 }], segmenter: [{ file: 'seg-band-nchw.onnx', weight: 2 }, { file: 'seg-b.onnx' }] },
      { 'cls-b.onnx': 'nchw/cls-logit-nchw.onnx', 'seg-b.onnx': 'nchw/seg-band-nchw.onnx' },
    ),
  'tta hflip, three members': () =>
    derivedSet('tta', { segmenter: [{ file: 'seg-ramp-nhwc.onnx' }, { file: 'band.onnx' }, { file: 'half.onnx', weight: 2 }] }, { 'band.onnx': 'nhwc/seg-band-nhwc.onnx', 'half.onnx': 'nhwc/seg-half-nhwc.onnx' }),
}

for (const [name, make] of Object.entries(SETS)) {
  test(`${name}: merged stages give the unmerged gate, maps and masks exactly`, async () => {
    const dir = make()
    const separate = await loadModelSet(dir, { provider: 'cpu', threads: 1, merge: false })
    const merged = await loadModelSet(dir, { provider: 'cpu', threads: 1 })
    try {
      const { manifest } = merged
      assert.equal(merged.segmenters.length, 1)
      assert.equal(merged.unmerged.segmenter, manifest.segmenter.members.length > 1 ? null : 'one member')
      if ((manifest.classifier?.members.length ?? 0) > 1) assert.equal(merged.unmerged.classifier, null)
      assert.equal(separate.segmenters.length, manifest.segmenter.members.length)
      // The manifest's settings, then every image segmented with thresholds low enough for masks.
      const low = { upper: [0.3, 0.3, 0.3, 0.3], lower: [0.2, 0.2, 0.2, 0.2], minAreaModelPx: [1, 1, 1, 1] }
      for (const options of [{}, { gateThreshold: 0, profile: low }]) {
        const a = await new Inspector(separate, options).inspectBatch(images)
        const b = await new Inspector(merged, options).inspectBatch(images)
        assert.deepEqual(b.inspections, a.inspections)
        if ('profile' in options) assert.ok(a.inspections.every((i) => i.classes.some((c) => c.areaPx > 0)), 'every image has a mask')
      }
    } finally {
      await separate.release()
      await merged.release()
    }
  })
}

test('weights 3:1 of p = x and p = x/2 give the closed form 0.875·x in a merged stage', async () => {
  const set = await loadModelSet(SETS['nhwc, weights 3:1'](), { provider: 'cpu', threads: 1 })
  try {
    const { inspections } = await new Inspector(set).inspectBatch([images[0]])
    const plane = 128 * 800
    assert.equal(inspections[0].probMapsU8![plane + 40 * 800 + 200], Math.round(0.875 * 240)) // class 2, in the block
  } finally {
    await set.release()
  }
})

test('a member that does not fit is refused with the member-by-member message, merging or not', async () => {
  const dir = derivedSet('nhwc', { segmenter: [{ file: 'seg-band-nhwc.onnx' }, { file: 'seg-half-nhwc.onnx' }] }, {}, (m) => {
    m.classes.pop()
    for (const key of ['upper', 'lower', 'minArea']) m.segmenter.postprocess[key].pop()
  })
  for (const merge of [true, false]) {
    await assert.rejects(loadModelSet(dir, { provider: 'cpu', merge }), /seg-band-nhwc\.onnx: output "probs" has shape \[N, 128, 800, 4\], the manifest expects \[batch, 128, 800, 3\]/)
  }
})

test('pre-allocated outputs (the GPU path, run here on the CPU) give the same stage results for changing batch sizes', async () => {
  const { runStage } = await import('../../../src-main/pipeline/ensemble.ts')
  const set = await loadModelSet(SETS['tta hflip, three members'](), { provider: 'cpu', threads: 1 })
  try {
    const { manifest } = set
    const stage = { sessions: set.segmenters, weights: set.formulations.segmenter.map((m) => m.weight), output: manifest.segmenter.output, layout: manifest.input.layout, views: manifest.tta }
    const item = 128 * 800 * 3
    for (const batch of [3, 1, 2, 3]) {
      const input = new Float32Array(item * batch).map((_, i) => ((i * 7919) % 1000) / 1000)
      const dims = [batch, 128, 800, 3]
      const plain = await runStage(stage, input, dims)
      const pooled = await runStage({ ...stage, preallocate: true }, input, dims)
      assert.deepEqual(pooled.probabilities, plain.probabilities, `batch ${batch}`)
    }
  } finally {
    await set.release()
  }
})
