// Static int8 quantization of one model, run for real in onnxruntime: exact where int8 is exact,
// close elsewhere, fused into integer kernels, and kept float where int8 loses too much.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DATA_TYPE, readModel } from '../../../src-main/inference/onnxModel.ts'
import { readFields } from '../../../src-main/inference/protobuf.ts'
import { openSession } from '../../../src-main/inference/session.ts'
import { optimizedOperators } from '../../../src-main/quantize/fusedKernels.ts'
import { quantizeMember, type MemberQuantizeOptions } from '../../../src-main/quantize/quantizeMember.ts'
import { buildModel, seeded } from '../../helpers/onnxBuild.ts'

const OPTIONS: MemberQuantizeOptions = { activation: 'probability', weightBits: 7, maxWeightError: 0.03, maxMeanDifference: 0.01, threads: 1 }
const f32 = (values: number[]) => Float32Array.from(values)

async function run(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await openSession({ bytes, file: 'test model' }, { provider: 'cpu', threads: 1 })
  const [output] = await session.runAll(input, dims)
  await session.release()
  return output
}

/** Initializers of the given ONNX element type, by name. */
function initializersOfType(bytes: Uint8Array, dataType: number): string[] {
  const model = readModel(bytes)
  return [...model.initializers].filter(([, payload]) => readFields(payload).some((f) => f.number === 2 && f.value === dataType)).map(([name]) => name)
}

test('on the int8 grid the quantized model gives exactly the float model\'s output, through a fused QLinearConv', async () => {
  // x = j/2 (j = 0…255): uint8 scale 1/2. Weights are k·2⁻⁶ and k·2⁻⁷ with |k| ≤ 63 (7-bit), so
  // every weight, the Relu output j·63/128 and the bias (10 steps of 63/8192) sit on their grids.
  const model = buildModel({
    input: { name: 'x', dims: [1, 1, 16, 16] },
    outputs: ['y'],
    nodes: [
      { opType: 'Conv', inputs: ['x', 'w1'], outputs: ['c1'] },
      { opType: 'Relu', inputs: ['c1'], outputs: ['r1'] },
      { opType: 'Conv', inputs: ['r1', 'w2', 'b2'], outputs: ['y'] },
    ],
    weights: {
      w1: { dims: [1, 1, 1, 1], data: f32([63 / 64]) },
      w2: { dims: [2, 1, 1, 1], data: f32([-63 / 64, 63 / 128]) },
      b2: { dims: [2], data: f32([(10 * 63) / 8192, (-5 * 63) / 16384]) },
    },
  })
  const x = Float32Array.from({ length: 256 }, (_, j) => j / 2)
  const dims = [1, 1, 16, 16]
  const outcome = await quantizeMember(model, [x], dims, OPTIONS)
  assert.equal(outcome.precision, 'int8')
  assert.equal(outcome.quantizedNodes, 2)
  assert.deepEqual(initializersOfType(outcome.bytes, DATA_TYPE.float).filter((n) => n.startsWith('w')), [], 'the float weights are gone')
  assert.equal(initializersOfType(outcome.bytes, DATA_TYPE.int8).length, 4) // two weights, two zero-point vectors
  const fp32 = await run(model, x, dims)
  const int8 = await run(outcome.bytes, x, dims)
  assert.deepEqual(int8, fp32)
  assert.deepEqual(outcome.calibrationDifference, { mean: 0, max: 0 })
  const ops = await optimizedOperators(outcome.bytes)
  assert.equal(ops.QLinearConv, 1, `onnxruntime fused Conv → Relu → Q into QLinearConv: ${JSON.stringify(ops)}`)
  assert.equal(ops.Relu, undefined, 'the Relu went into the quantization')
})

/** Two 3×3 convolutions with seeded weights, a Relu between them and a sigmoid at the end. */
function randomNet(outlierWeights = false): Uint8Array {
  const random = seeded(7)
  const normal = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() + random() + random() - 1.5) * scale)
  const w2 = normal(4 * 8 * 9, 0.3)
  // One weight 100× the rest of its channel: per-channel int8 rounds the others away.
  if (outlierWeights) for (let c = 0; c < 4; c++) w2[c * 72] = 30
  return buildModel({
    input: { name: 'x', dims: [1, 3, 16, 16] },
    outputs: ['p'],
    nodes: [
      { opType: 'Conv', inputs: ['x', 'w1', 'b1'], outputs: ['c1'] },
      { opType: 'Relu', inputs: ['c1'], outputs: ['r1'] },
      { opType: 'Conv', inputs: ['r1', 'w2', 'b2'], outputs: ['c2'] },
      { opType: 'Sigmoid', inputs: ['c2'], outputs: ['p'] },
    ],
    weights: {
      w1: { dims: [8, 3, 3, 3], data: normal(8 * 27, 0.5) },
      b1: { dims: [8], data: normal(8, 0.1) },
      w2: { dims: [4, 8, 3, 3], data: w2 },
      b2: { dims: [4], data: normal(4, 0.1) },
    },
  })
}

const images = (count: number, seed: number) => {
  const random = seeded(seed)
  return Array.from({ length: count }, () => Float32Array.from({ length: 3 * 16 * 16 }, () => random() * 2 - 1))
}

test('off the grid the int8 model stays within a small tolerance of the float one, and does differ', async () => {
  const model = randomNet()
  const dims = [1, 3, 16, 16]
  const outcome = await quantizeMember(model, images(8, 1), dims, OPTIONS)
  assert.equal(outcome.precision, 'int8')
  assert.ok(outcome.worstWeightError > 0 && outcome.worstWeightError < 0.03, `weight error ${outcome.worstWeightError}`)
  // Held-out inputs, not the calibration ones.
  let max = 0
  for (const x of images(4, 2)) {
    const fp32 = await run(model, x, dims)
    const int8 = await run(outcome.bytes, x, dims)
    fp32.forEach((p, i) => (max = Math.max(max, Math.abs(p - int8[i]))))
  }
  assert.ok(max > 0, 'int8 arithmetic shows in the output')
  assert.ok(max < 0.03, `max |p_int8 − p_fp32| = ${max}`)
  assert.ok((await optimizedOperators(outcome.bytes)).QLinearConv === 1)
})

test('a layer whose weights lose too much in int8 stays float, and says why', async () => {
  const outcome = await quantizeMember(randomNet(true), images(8, 1), [1, 3, 16, 16], OPTIONS)
  assert.equal(outcome.precision, 'mixed')
  assert.equal(outcome.quantizedNodes, 1)
  assert.equal(outcome.keptFp32.length, 1)
  assert.equal(outcome.keptFp32[0].node, 'n2')
  assert.match(outcome.keptFp32[0].reason, /^its weights lose \d+\.\d % in int8 \(limit 3\.0 %\)$/)
  assert.ok(initializersOfType(outcome.bytes, DATA_TYPE.float).includes('w2'), 'the float weights of the kept layer are still there')
})

test('a member whose probabilities move too far in int8 stays float whole, with the measured difference', async () => {
  // One outlier pixel (1000) stretches the input's uint8 range: every ordinary value rounds to 0.
  const model = buildModel({
    input: { name: 'x', dims: [1, 1, 8, 8] },
    outputs: ['p'],
    nodes: [
      { opType: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'] },
      { opType: 'Sigmoid', inputs: ['c'], outputs: ['p'] },
    ],
    weights: { w: { dims: [1, 1, 1, 1], data: f32([4]) }, b: { dims: [1], data: f32([-2]) } },
  })
  const x = Float32Array.from({ length: 64 }, (_, i) => (i === 0 ? 1000 : i / 64))
  const outcome = await quantizeMember(model, [x], [1, 1, 8, 8], OPTIONS)
  assert.equal(outcome.precision, 'fp32')
  assert.equal(outcome.bytes, model, 'the float member is kept as it was')
  assert.match(outcome.reason!, /^its probabilities moved by 0\.\d{4} on average in int8 \(limit 0\.01\)$/)
  assert.ok(outcome.calibrationDifference!.mean > 0.1)
})

test('a convolution that float operators read (SiLU) is still fused; the one that makes the output keeps float logits', async () => {
  const random = seeded(3)
  const values = (n: number) => Float32Array.from({ length: n }, () => random() - 0.5)
  const model = buildModel({
    input: { name: 'x', dims: [1, 3, 16, 16] },
    outputs: ['p'],
    nodes: [
      { opType: 'Conv', inputs: ['x', 'w1'], outputs: ['c1'] },
      { opType: 'Sigmoid', inputs: ['c1'], outputs: ['s1'] },
      { opType: 'Mul', inputs: ['c1', 's1'], outputs: ['silu'] },
      { opType: 'Conv', inputs: ['silu', 'w2'], outputs: ['logits'] },
      { opType: 'Sigmoid', inputs: ['logits'], outputs: ['p'] },
    ],
    weights: { w1: { dims: [8, 3, 1, 1], data: values(24) }, w2: { dims: [4, 8, 1, 1], data: values(32) } },
  })
  const outcome = await quantizeMember(model, images(4, 5), [1, 3, 16, 16], OPTIONS)
  assert.equal(outcome.precision, 'int8')
  const names = [...readModel(outcome.bytes).initializers.keys()]
  assert.ok(names.includes('c1/scale'), 'the first conv\'s output is quantized')
  assert.ok(!names.includes('logits/scale'), 'the logits are not')
  const ops = await optimizedOperators(outcome.bytes)
  assert.equal(ops.QLinearConv, 1, JSON.stringify(ops))
})
