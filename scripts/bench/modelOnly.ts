// The model-only bound, (a): every member of the set alone in this process (one session open at a
// time, the pipeline's session options), timed around session.run on the bench images' real
// inputs — classifiers on every image, segmenters on the images the gate lets in. Prints JSON.
//   node scripts/bench/modelOnly.ts --models DIR --folder DIR --gate gate.json [--threads N] [--mempattern 0|1]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { readManifest } from '../../src-main/inference/manifestFile.ts'
import { openSession } from '../../src-main/inference/session.ts'
import { decodeImage } from '../../src-main/pipeline/decode.ts'
import { inputDims, writeModelInput } from '../../src-main/pipeline/modelInput.ts'

const { values } = parseArgs({ options: { models: { type: 'string' }, folder: { type: 'string' }, gate: { type: 'string' }, threads: { type: 'string' }, mempattern: { type: 'string' } } })
const threads = Number(values.threads ?? 2)
const memoryPattern = values.mempattern === undefined ? undefined : values.mempattern !== '0'
const { manifest } = await readManifest(values.models!)
const gate = JSON.parse(readFileSync(values.gate!, 'utf8')) as Record<string, boolean>
const names = Object.keys(gate).sort()

// Model inputs first, so that only session.run is timed; decode and tensor are timed apart.
const spec = manifest.input
const dims = inputDims(spec, 1)
let decodeMs = 0
let tensorMs = 0
const inputs = new Map<string, Float32Array>()
for (const name of names) {
  const bytes = new Uint8Array(readFileSync(join(values.folder!, name)))
  let t = performance.now()
  const image = await decodeImage(bytes, { channels: spec.channels, expectedSize: manifest.imageSize })
  decodeMs += performance.now() - t
  t = performance.now()
  const input = new Float32Array(spec.height * spec.width * spec.channels)
  writeModelInput(image.pixels, image.height, image.width, spec, input, 0)
  tensorMs += performance.now() - t
  inputs.set(name, input)
}

const stages = [
  ...(manifest.classifier?.members ?? []).map((m) => ({ stage: 'classifier' as const, file: m.file, images: names })),
  ...manifest.segmenter.members.map((m) => ({ stage: 'segmenter' as const, file: m.file, images: names.filter((n) => gate[n]) })),
]
const members: { stage: string; file: string; images: number; totalMs: number; medianMs: number; beyondMedianMs: number }[] = []
for (const { stage, file, images } of stages) {
  const session = await openSession(join(values.models!, file), { provider: 'cpu', threads, memoryPattern })
  await session.run(inputs.get(images[0] ?? names[0])!, dims) // warm-up, not counted
  const times: number[] = []
  for (const name of images) {
    const started = performance.now()
    await session.run(inputs.get(name)!, dims)
    times.push(performance.now() - started)
  }
  await session.release()
  const totalMs = times.reduce((a, b) => a + b, 0)
  members.push({ stage, file, images: images.length, totalMs, medianMs: median(times), beyondMedianMs: totalMs - median(times) * times.length })
  process.stderr.write(`  model-only ${file}: ${images.length} images, ${(totalMs / 1000).toFixed(2)} s\n`)
}
const totalMs = members.reduce((a, m) => a + m.totalMs, 0)
const sum = (stage: string) => members.filter((m) => m.stage === stage).reduce((a, m) => a + m.totalMs, 0)
process.stdout.write(`${JSON.stringify({ images: names.length, gatedIn: names.filter((n) => gate[n]).length, threads, totalMs, stage1Ms: sum('classifier'), stage2Ms: sum('segmenter'), beyondMedianMs: members.reduce((a, m) => a + m.beyondMedianMs, 0), decodeMs, tensorMs, members })}\n`)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
