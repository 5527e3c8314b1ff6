// Times session.run of each benchmark model with onnxruntime-node (CPU, batch 1), and prints a
// sanity summary of the outputs. Usage, from the repository root:
//   node_modules/.bin/node models/training/benchmark/time_models.mjs [--dir .cache/bench-models] [--threads 2] [--runs 7] [NAME ...]
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'

const args = process.argv.slice(2)
const opt = (flag, fallback) => {
  const i = args.indexOf(flag)
  if (i < 0) return fallback
  const value = args[i + 1]
  args.splice(i, 2)
  return value
}
const dir = opt('--dir', '.cache/bench-models')
const threads = Number(opt('--threads', '2'))
const runs = Number(opt('--runs', '7'))
const names = args.length > 0 ? args : ['cls-b0-1', 'cls-b3', 'unetpp-b0-1', 'unetpp-b3']

const H = 128, W = 800
const input = new Float32Array(H * W * 3)
let seed = 12345
for (let i = 0; i < input.length; i++) {
  seed = (seed * 1103515245 + 12345) >>> 0
  input[i] = (seed >>> 8) / 16777216
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

console.log(`onnxruntime-node ${ort.env.versions.node}, ${threads} intra-op threads, batch 1, median of ${runs} runs after 1 warm-up`)
console.log('| model | ms/image (median) | images/s | output min / mean / max |')
console.log('|---|---:|---:|---|')
for (const name of names) {
  const file = join(dir, `${name}.onnx`)
  if (!existsSync(file)) { console.log(`| ${name} | missing | | |`); continue }
  const session = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: 'sequential', graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  })
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, H, W, 3]) }
  let out = (await session.run(feeds))[session.outputNames[0]].data
  const times = []
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now()
    out = (await session.run(feeds))[session.outputNames[0]].data
    times.push(performance.now() - t0)
  }
  let lo = Infinity, hi = -Infinity, sum = 0
  for (const v of out) { lo = Math.min(lo, v); hi = Math.max(hi, v); sum += v }
  const ms = median(times)
  console.log(`| ${name} | ${ms.toFixed(1)} | ${(1000 / ms).toFixed(2)} | ${lo.toFixed(3)} / ${(sum / out.length).toFixed(3)} / ${hi.toFixed(3)} |`)
  await session.release()
}
