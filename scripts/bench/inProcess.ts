// The pipeline without the process boundary and with the models warm: inspectFiles in this process
// against the model-only bound (every member alone, Σ session.run) on the same bench folder,
// alternating round by round. Shows how much of the gap between (b) and (a) in `npm run bench` is
// the pipeline itself and how much is a fresh inference process (its first runs, the messages).
//   node scripts/bench/inProcess.ts [--count 24] [--seed 5] [--rounds 6] [--models DIR]
// The bench folder and its gate.json come from `npm run bench` or ablate.ts with the same count.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { loadModelSet } from '../../src-main/inference/modelSet.ts'
import { openSession } from '../../src-main/inference/session.ts'
import { decodeImage } from '../../src-main/pipeline/decode.ts'
import { inspectFiles, Inspector } from '../../src-main/pipeline/index.ts'
import { inputDims, writeModelInput } from '../../src-main/pipeline/modelInput.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const { values: args } = parseArgs({ options: { count: { type: 'string', default: '24' }, seed: { type: 'string', default: '5' }, rounds: { type: 'string', default: '6' }, models: { type: 'string' } } })
const dir = resolve(args.models ?? join(ROOT, '.cache/bench-models/seed-like'))
const folder = join(ROOT, '.cache/bench', `synth-${args.count}-seed${args.seed}`)
const gate = JSON.parse(readFileSync(join(folder, 'gate.json'), 'utf8')) as Record<string, boolean>
const names = Object.keys(gate).sort()

const set = await loadModelSet(dir, { provider: 'cpu' })
const spec = set.manifest.input
const dims = inputDims(spec, 1)
const inputs = new Map<string, Float32Array>()
for (const name of names) {
  const image = await decodeImage(new Uint8Array(readFileSync(join(folder, name))), { channels: spec.channels })
  const input = new Float32Array(spec.height * spec.width * spec.channels)
  writeModelInput(image.pixels, image.height, image.width, spec, input, 0)
  inputs.set(name, input)
}
const members = [
  ...(set.manifest.classifier?.members ?? []).map((m) => ({ file: m.file, images: names })),
  ...set.manifest.segmenter.members.map((m) => ({ file: m.file, images: names.filter((n) => gate[n]) })),
]
const sessions = await Promise.all(members.map((m) => openSession(join(dir, m.file), { provider: 'cpu', threads: set.threads })))
const inspector = new Inspector(set, { gateOverride: gate })

const bound = async () => {
  let ms = 0
  for (const [i, member] of members.entries()) {
    for (const name of member.images) {
      const started = performance.now()
      await sessions[i].run(inputs.get(name)!, dims)
      ms += performance.now() - started
    }
  }
  return ms
}
const pipeline = async () => {
  const started = performance.now()
  for await (const outcome of inspectFiles(inspector, names.map((n) => join(folder, n)))) if (!outcome.ok) throw new Error(outcome.error)
  return performance.now() - started
}
// Warm both: every session's first runs are not what this measures.
await bound()
await pipeline()
const ms: { bound: number[]; pipeline: number[] } = { bound: [], pipeline: [] }
for (let round = 0; round < Number(args.rounds); round++) {
  const order = round % 2 ? (['pipeline', 'bound'] as const) : (['bound', 'pipeline'] as const)
  for (const key of order) ms[key].push(await (key === 'bound' ? bound : pipeline)())
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]
const ratios = ms.pipeline.map((p, i) => ms.bound[i] / p)
console.log(`in one process, models warm, ${names.length} images, ${args.rounds} rounds:`)
console.log(`  (a) bound     ${(median(ms.bound) / names.length).toFixed(1)} ms/image (median), best ${(Math.min(...ms.bound) / names.length).toFixed(1)}`)
console.log(`  pipeline      ${(median(ms.pipeline) / names.length).toFixed(1)} ms/image (median), best ${(Math.min(...ms.pipeline) / names.length).toFixed(1)}`)
console.log(`  pipeline ÷ (a): median of the rounds' ratios ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(3)).join(' ')}); best ÷ best ${(Math.min(...ms.bound) / Math.min(...ms.pipeline)).toFixed(3)}`)
