// Tallies a job's finished images into the end-of-run summary, and formats it for people.
import { basename } from 'node:path'
import type { FitReport } from '../../src-shared/imageFit.ts'
import type { SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import type { ImageTimings } from '../pipeline/index.ts'
import type { ImageFinished, JobSnapshot } from '../queue/index.ts'
import type { Store } from '../store/index.ts'

type Phase = keyof ImageTimings | 'storeMs'
const PHASES: Phase[] = ['decodeMs', 'decodeWaitMs', 'tensorMs', 'stage1RunMs', 'stage2RunMs', 'ensembleMs', 'postMs', 'storeMs']

export interface InspectSummary {
  modelSet: { id: string; version: string }
  provider: string | null
  providerFallback: string | null
  images: number
  inspected: number
  succeeded: number
  alreadyDone: number
  gatedIn: number
  gatedOut: number
  perClass: { classId: number; name: string; images: number; areaPx: number }[]
  seconds: number
  imagesPerSecond: number
  /** From the process start until the models were loaded (imports, database, scan, model load). */
  startupSeconds: number | null
  /** From the models loaded until the last result was recorded: the steady pipeline. */
  inspectSeconds: number | null
  inspectImagesPerSecond: number | null
  /** Median milliseconds per image of each phase (decode overlaps the previous image's models). */
  medianMs: Record<Phase, number>
  /** Milliseconds of each phase summed over the images (a batch's times are shared among its images). */
  totalMs: Record<Phase, number>
  warnings: { file: string; warning: string }[]
  errors: { file: string; error: string }[]
  skipped: { file: string; reason: string }[]
  duplicates: { file: string; sameAs: string }[]
  /** Sub-folders of the folder, not inspected. */
  subfolders: string[]
  out: string
  format: SeverstalFormat
  db: string | null
  /** What the model set was trained on (its manifest's provenance), and whether these images look like it. */
  trainedOn?: string | null
  fit?: FitReport | null
}

export class InspectTally {
  readonly #started = performance.now()
  readonly #events: ImageFinished[] = []
  #loadedAt: number | null = null
  #lastAt: number | null = null

  add(event: ImageFinished): void {
    this.#events.push(event)
    this.#lastAt = performance.now()
  }

  /** The models are loaded and images are about to go in (the first call counts). */
  markLoaded(): void {
    this.#loadedAt ??= performance.now()
  }

  summary(job: JobSnapshot, store: Store, output: { out: string; format: SeverstalFormat; db: string | null }): InspectSummary {
    const seconds = (performance.now() - this.#started) / 1000
    const inspectSeconds = this.#loadedAt !== null && this.#lastAt !== null ? (this.#lastAt - this.#loadedAt) / 1000 : null
    const run = store.runs.get(job.runId!)!
    const modelSet = store.modelSets.get(run.modelSetId)!
    const done = this.#events.filter((e) => e.ok)
    const classImages = modelSet.classes.map((_, i) => done.filter((e) => (e.classAreasPx?.[i] ?? 0) > 0).length)
    const classArea = modelSet.classes.map((_, i) => done.reduce((sum, e) => sum + (e.classAreasPx?.[i] ?? 0), 0))
    const timed = done.filter((e) => e.timings)
    const values = (p: Phase) => timed.map((e) => (p === 'storeMs' ? e.storeMs : e.timings![p]))
    const phase = (p: Phase) => median(values(p))
    const scan = job.scan ?? { failed: [], skipped: [], duplicates: [] }
    return {
      modelSet: { id: modelSet.manifestId, version: modelSet.version },
      provider: run.providerUsed,
      providerFallback: run.providerFallbackReason,
      images: job.progress.total + scan.failed.length,
      inspected: this.#events.length,
      succeeded: done.length,
      alreadyDone: job.progress.done - this.#events.length,
      gatedIn: done.filter((e) => e.gatedIn).length,
      gatedOut: done.filter((e) => e.gatedIn === false).length,
      perClass: modelSet.classes.map((c, i) => ({ classId: c.id, name: c.name, images: classImages[i], areaPx: classArea[i] })),
      seconds,
      imagesPerSecond: seconds > 0 ? this.#events.length / seconds : 0,
      // performance.now() counts from the start of this process.
      startupSeconds: this.#loadedAt !== null ? this.#loadedAt / 1000 : null,
      inspectSeconds,
      inspectImagesPerSecond: inspectSeconds ? this.#events.length / inspectSeconds : null,
      medianMs: Object.fromEntries(PHASES.map((p) => [p, phase(p)])) as Record<Phase, number>,
      totalMs: Object.fromEntries(PHASES.map((p) => [p, values(p).reduce((a, b) => a + b, 0)])) as Record<Phase, number>,
      warnings: done.flatMap((e) => (e.warning ? [{ file: e.path, warning: e.warning }] : [])),
      errors: [...scan.failed.map((f) => ({ file: f.path, error: f.reason })), ...this.#events.flatMap((e) => (e.ok ? [] : [{ file: e.path, error: e.error! }]))],
      skipped: scan.skipped.map((s) => ({ file: s.path, reason: s.reason })),
      duplicates: scan.duplicates.map((d) => ({ file: d.path, sameAs: d.sameAs })),
      subfolders: [...(scan.subfolders ?? [])],
      ...output,
    }
  }
}

export function formatInspectSummary(s: InspectSummary): string {
  const ms = s.medianMs
  const lines = [
    `Inspected ${s.inspected} images in ${s.seconds.toFixed(1)} s (${s.imagesPerSecond.toFixed(2)} images/s)` +
      (s.alreadyDone > 0 ? `; ${s.alreadyDone} already done in this database` : ''),
    `  model set ${s.modelSet.id} ${s.modelSet.version} on ${s.provider}` + (s.providerFallback ? ` (CUDA not used: ${s.providerFallback})` : ''),
    ...(s.trainedOn ? [`  trained on: ${s.trainedOn}`] : []),
    ...(s.fit ? [`  ${s.fit.unlike ? 'WARNING: ' : 'fit: '}${s.fit.message}`] : []),
    `  gate: ${s.gatedIn} segmented, ${s.gatedOut} gated out`,
    `  defects: ${s.perClass.map((c) => `class ${c.classId} ${c.name} ${c.images}`).join(', ')}`,
    `  median ms/image: decode ${fmt(ms.decodeMs)}, tensor ${fmt(ms.tensorMs)}, stage 1 ${fmt(ms.stage1RunMs)}, stage 2 ${fmt(ms.stage2RunMs)}, ` +
      `ensemble ${fmt(ms.ensembleMs)}, post ${fmt(ms.postMs)}, store ${fmt(ms.storeMs)}`,
    `  wrote ${s.out} (${s.format})` + (s.db ? `; results in ${s.db}` : ''),
  ]
  for (const w of s.warnings) lines.push(`  warning: ${basename(w.file)}: ${w.warning}`)
  if (s.duplicates.length > 0) lines.push(`  ${s.duplicates.length} duplicate(s) inspected once: ${s.duplicates.map((d) => `${basename(d.file)} = ${d.sameAs}`).join(', ')}`)
  if (s.skipped.length > 0) {
    const named = s.skipped.map((k) => (k.reason === 'not an image' ? basename(k.file) : `${basename(k.file)} (${k.reason})`))
    lines.push(`  skipped ${s.skipped.length} non-image file(s): ${named.join(', ')}`)
  }
  if (s.subfolders.length > 0) {
    lines.push(`  ${s.subfolders.length} subfolder(s) not entered: ${s.subfolders.join(', ')}`)
  }
  if (s.errors.length > 0) {
    lines.push(`  ${s.errors.length} image(s) failed:`)
    for (const e of s.errors) lines.push(`    ${e.file}: ${e.error}`)
  }
  return `${lines.join('\n')}\n`
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function fmt(ms: number): string {
  return ms.toFixed(ms < 10 ? 2 : 1)
}
