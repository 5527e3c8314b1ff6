// (b) without any store: the inference process that `coilscope inspect` uses (fork, InferenceClient,
// the same load request), fed the folder's images directly, with no job queue, no SQLite and no
// CSV. Prints one JSON object, with the same timing fields as the CLI summary, and how much the
// stage runs took beyond their steady median (first runs of a fresh process, stalls).
//   node scripts/bench/noStore.ts --models DIR --folder DIR --gate gate.json [--threads N]
//                                 [--merge 0|1] [--spinning 0|1] [--mempattern 0|1] [--prefetch 0|1]
//                                 (the worker's defaults otherwise)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { ImageTimings } from '../../src-main/pipeline/index.ts'
import { forkWorker, InferenceClient } from '../../src-main/worker/index.ts'

const { values } = parseArgs({ options: { models: { type: 'string' }, folder: { type: 'string' }, gate: { type: 'string' }, threads: { type: 'string' }, merge: { type: 'string' }, spinning: { type: 'string' }, mempattern: { type: 'string' }, prefetch: { type: 'string' } } })
const flag = (value: string | undefined) => (value === undefined ? undefined : value !== '0')
const gate = JSON.parse(readFileSync(values.gate!, 'utf8')) as Record<string, boolean>
const paths = Object.keys(gate).sort().map((name) => join(values.folder!, name))
const client = new InferenceClient(forkWorker, {
  modelsDir: values.models!,
  provider: 'cpu',
  threads: values.threads ? Number(values.threads) : undefined,
  merge: flag(values.merge),
  spinning: flag(values.spinning),
  memoryPattern: flag(values.mempattern),
  prefetch: flag(values.prefetch),
  inspector: { gateOverride: gate },
})
const info = await client.start()
const loadedAt = performance.now()
const totalMs: Record<string, number> = {}
const areaPx = info.manifest.classes.map(() => 0)
let gatedIn = 0
const stageRuns: { stage1RunMs: number[]; stage2RunMs: number[] } = { stage1RunMs: [], stage2RunMs: [] }
let failed = 0
await client.inspect(paths, (outcome) => {
  if (!outcome.ok) {
    failed++
    return
  }
  if (outcome.inspection.isGatedIn) gatedIn++
  stageRuns.stage1RunMs.push(outcome.timings.stage1RunMs)
  if (outcome.inspection.isGatedIn) stageRuns.stage2RunMs.push(outcome.timings.stage2RunMs)
  outcome.inspection.classes.forEach((c, i) => (areaPx[i] += c.areaPx))
  for (const [key, ms] of Object.entries(outcome.timings as ImageTimings)) totalMs[key] = (totalMs[key] ?? 0) + ms
})
const inspectSeconds = (performance.now() - loadedAt) / 1000
client.close()
process.stdout.write(
  `${JSON.stringify({ images: paths.length, failed, gatedIn, startupSeconds: loadedAt / 1000, inspectSeconds, inspectImagesPerSecond: paths.length / inspectSeconds, threads: info.threads, unmerged: info.unmerged ?? null, loadMs: info.loadMs ?? null, totalMs, beyondMedianMs: beyondMedian(stageRuns.stage1RunMs) + beyondMedian(stageRuns.stage2RunMs), firstStage2RunsMs: stageRuns.stage2RunMs.slice(0, 3), areaPx })}\n`,
)

/** Σ times − median × count: what the runs took beyond a steady run each. */
function beyondMedian(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return times.reduce((a, b) => a + b, 0) - median * times.length
}
