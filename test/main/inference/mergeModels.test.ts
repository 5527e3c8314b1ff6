// Merging a stage's ONNX members into one graph: what it produces, and what it refuses.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadModelSet } from '../../../src-main/inference/index.ts'
import { mergeModels } from '../../../src-main/inference/mergeModels.ts'
import { MessageWriter } from '../../../src-main/inference/protobuf.ts'
import { openSession } from '../../../src-main/inference/session.ts'
import { FIXTURES } from '../../helpers/images.ts'

const band = join(FIXTURES, 'nhwc', 'seg-band-nhwc.onnx')
const half = join(FIXTURES, 'nhwc', 'seg-half-nhwc.onnx')

test('two members become one graph with one input and each member\'s output, as declared in their files', async () => {
  const merged = mergeModels([readFileSync(band), readFileSync(half)])
  assert.ok(merged.ok)
  assert.deepEqual(merged.outputNames, ['m0/probs', 'm1/probs'])
  for (const [i, file] of [band, half].entries()) {
    const alone = await openSession(file, { provider: 'cpu', threads: 1 })
    assert.deepEqual(merged.members[i], { inputs: alone.inputs, outputs: alone.outputs })
    await alone.release()
  }
  const session = await openSession({ bytes: merged.bytes, file: 'merged' }, { provider: 'cpu', threads: 1 })
  assert.deepEqual(session.inputs.map((s) => s.name), ['image'])
  assert.deepEqual(session.outputs.map((s) => s.name), ['m0/probs', 'm1/probs'])
  const input = new Float32Array(128 * 800 * 3).fill(0.8)
  const [p0, p1] = await session.runAll(input, [1, 128, 800, 3])
  assert.equal(p0[40 * 800 * 4 + 1], Math.fround(0.8)) // class 2 in its band: p = x
  assert.equal(p1[40 * 800 * 4 + 1], Math.fround(0.4)) // p = x / 2
  await session.release()
})

test('runAll writes into pre-allocated outputs and returns those arrays', async () => {
  const set = await loadModelSet(join(FIXTURES, 'nhwc'), { provider: 'cpu', threads: 1 })
  const [session] = set.segmenters
  const input = new Float32Array(2 * 128 * 800 * 3).map((_, i) => (i % 7) / 7)
  const dims = [2, 128, 800, 3]
  const allocated = await session.runAll(input, dims)
  const into = session.outputs.map(() => new Float32Array(2 * 128 * 800 * 4).fill(-1))
  const written = await session.runAll(input, dims, into)
  written.forEach((array, i) => assert.equal(array, into[i]))
  assert.deepEqual(written, allocated)
  await assert.rejects(session.runAll(input, dims, [into[0]]), /1 output arrays for 2 outputs/)
  await set.release()
})

/** A minimal model: opset `opset`, one input "x", one node, one output "y". */
function tinyModel(opset: number, withSubgraph = false): Uint8Array {
  const valueInfo = (name: string) => new MessageWriter().string(1, name)
  const node = new MessageWriter().string(1, 'x').string(2, 'y').string(4, withSubgraph ? 'If' : 'Identity')
  if (withSubgraph) node.message(5, new MessageWriter().string(1, 'then_branch').message(6, new MessageWriter().string(2, 'then')))
  const graph = new MessageWriter().message(1, node).string(2, 'g').message(11, valueInfo('x')).message(12, valueInfo('y'))
  return new MessageWriter().varint(1, 8).message(8, new MessageWriter().string(1, '').varint(2, opset)).message(7, graph).toBytes()
}

test('what cannot be merged safely comes back as a reason, never as a broken model', () => {
  const reason = (models: Uint8Array[]) => {
    const result = mergeModels(models)
    assert.equal(result.ok, false)
    return (result as { reason: string }).reason
  }
  assert.ok(mergeModels([tinyModel(17), tinyModel(17)]).ok)
  assert.match(reason([tinyModel(17)]), /fewer than two members/)
  assert.match(reason([tinyModel(17), tinyModel(13)]), /member 2 imports other operator sets \(ai\.onnx:13\) than member 1 \(ai\.onnx:17\)/)
  assert.match(reason([tinyModel(17), tinyModel(17, true)]), /member 2 has a node with a subgraph/)
  assert.match(reason([tinyModel(17), Uint8Array.of(0x0a, 0xff)]), /runs past the end/)
})
