// Tallies inspection outcomes into the end-of-run summary, and formats it for people.
import { basename } from 'node:path'
import type { SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import type { LoadedModelSet } from '../inference/index.ts'
import type { FileOutcome, FolderEntry, ImageTimings } from '../pipeline/index.ts'

export interface InspectSummary {
  modelSet: { id: string; version: string; dir: string }
  provider: string
  providerFallback: string | null
  threads: number
  images: number
  inspected: number
  succeeded: number
  gatedIn: number
  gatedOut: number
  perClass: { classId: number; name: string; images: number; areaPx: number }[]
  seconds: number
  imagesPerSecond: number
  /** Median milliseconds per image of each phase. */
  medianMs: Record<keyof ImageTimings, number>
  warnings: { file: string; warning: string }[]
  errors: { file: string; error: string }[]
  skipped: { file: string; reason: string }[]
  out: string
  format: SeverstalFormat
}

export class InspectTally {
  inspected = 0
  readonly #set: LoadedModelSet
  readonly #started = performance.now()
  readonly #timings: ImageTimings[] = []
  readonly #classImages: number[]
  readonly #classArea: number[]
  readonly #warnings: InspectSummary['warnings'] = []
  readonly #errors: InspectSummary['errors'] = []
  readonly #skipped: InspectSummary['skipped']
  readonly #images: number
  #gatedIn = 0
  #gatedOut = 0

  constructor(set: LoadedModelSet, entries: readonly FolderEntry[]) {
    this.#set = set
    this.#classImages = set.manifest.classes.map(() => 0)
    this.#classArea = set.manifest.classes.map(() => 0)
    this.#images = entries.filter((e) => e.kind === 'image').length
    for (const e of entries) if (e.kind === 'error') this.#errors.push({ file: e.path, error: e.reason })
    this.#skipped = entries.flatMap((e) => (e.kind === 'skipped' ? [{ file: e.path, reason: e.reason }] : []))
  }

  get imageErrors(): number {
    return this.#errors.length
  }

  add(outcome: FileOutcome): void {
    this.inspected++
    if (!outcome.ok) {
      this.#errors.push({ file: outcome.path, error: outcome.error })
      return
    }
    this.#timings.push(outcome.timings)
    if (outcome.image.warning) this.#warnings.push({ file: outcome.path, warning: outcome.image.warning })
    if (outcome.inspection.isGatedIn) this.#gatedIn++
    else this.#gatedOut++
    outcome.inspection.classes.forEach((c, i) => {
      if (c.areaPx > 0) this.#classImages[i]++
      this.#classArea[i] += c.areaPx
    })
  }

  summary(output: { out: string; format: SeverstalFormat }): InspectSummary {
    const seconds = (performance.now() - this.#started) / 1000
    const { manifest, provider, dir, threads } = this.#set
    const phases: (keyof ImageTimings)[] = ['decodeMs', 'tensorMs', 'stage1RunMs', 'stage2RunMs', 'ensembleMs', 'postMs']
    return {
      modelSet: { id: manifest.id, version: manifest.version, dir },
      provider: provider.provider,
      providerFallback: provider.fallbackReason,
      threads,
      images: this.#images,
      inspected: this.inspected,
      succeeded: this.#timings.length,
      gatedIn: this.#gatedIn,
      gatedOut: this.#gatedOut,
      perClass: manifest.classes.map((c, i) => ({ classId: c.id, name: c.name, images: this.#classImages[i], areaPx: this.#classArea[i] })),
      seconds,
      imagesPerSecond: seconds > 0 ? this.inspected / seconds : 0,
      medianMs: Object.fromEntries(phases.map((p) => [p, median(this.#timings.map((t) => t[p]))])) as InspectSummary['medianMs'],
      warnings: this.#warnings,
      errors: this.#errors,
      skipped: this.#skipped,
      ...output,
    }
  }
}

export function formatInspectSummary(s: InspectSummary): string {
  const lines = [
    `Inspected ${s.inspected} of ${s.images} images in ${s.seconds.toFixed(1)} s (${s.imagesPerSecond.toFixed(2)} images/s)`,
    `  model set ${s.modelSet.id} ${s.modelSet.version} on ${s.provider}, ${s.threads} threads per session` +
      (s.providerFallback ? ` (CUDA not used: ${s.providerFallback})` : ''),
    `  gate: ${s.gatedIn} segmented, ${s.gatedOut} gated out`,
    `  defects: ${s.perClass.map((c) => `class ${c.classId} ${c.name} ${c.images}`).join(', ')}`,
    `  median ms/image: decode ${fmt(s.medianMs.decodeMs)}, tensor ${fmt(s.medianMs.tensorMs)}, stage 1 ${fmt(s.medianMs.stage1RunMs)}, ` +
      `stage 2 ${fmt(s.medianMs.stage2RunMs)}, ensemble ${fmt(s.medianMs.ensembleMs)}, post ${fmt(s.medianMs.postMs)}`,
    `  wrote ${s.out} (${s.format})`,
  ]
  for (const w of s.warnings) lines.push(`  warning: ${basename(w.file)}: ${w.warning}`)
  if (s.skipped.length > 0) lines.push(`  skipped ${s.skipped.length} non-image file(s): ${s.skipped.map((k) => basename(k.file)).join(', ')}`)
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
