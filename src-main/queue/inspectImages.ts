// One pass of the inference process over a job's images: each outcome is recorded in its own
// transaction as it arrives, then reported (progress, and an event per image). A store that cannot
// take a result stops the pass; what is stored stays.
import { join } from 'node:path'
import type { ImageRecord, RunRecord, Store } from '../store/index.ts'
import type { InferenceClient, LoadedInfo } from '../worker/index.ts'
import type { ImageFinished, JobProgress } from './jobs.ts'
import { recordOutcome } from './recordOutcome.ts'

export interface InspectPass {
  readonly store: Store
  readonly client: InferenceClient
  readonly info: LoadedInfo
  readonly run: RunRecord
  readonly folder: string
  readonly images: readonly ImageRecord[]
  /** Counts before this pass (earlier passes, earlier processes). */
  readonly start: { readonly done: number; readonly total: number; readonly errors: number }
  readonly onProgress: (progress: JobProgress) => void
  readonly onImage: (event: Omit<ImageFinished, 'jobId'>) => void
}

export async function inspectImages(pass: InspectPass): Promise<void> {
  const { store, client, info, run, start } = pass
  const idByPath = new Map(pass.images.map((image) => [join(pass.folder, image.relativePath), image.id]))
  let { done, errors } = start
  const total = start.total
  const started = performance.now()
  let processed = 0
  let storeError: Error | null = null
  pass.onProgress({ done, total, errors, imagesPerSecond: 0, etaSeconds: null })
  await client.inspect([...idByPath.keys()], (outcome) => {
    if (storeError) return
    const imageId = idByPath.get(outcome.path)!
    const storeStarted = performance.now()
    try {
      recordOutcome(store, outcome, { runId: run.id, imageId, mapHeight: info.manifest.input.height, mapWidth: info.manifest.input.width })
    } catch (error) {
      // The database cannot take more (disk full, read-only): stop; what is stored stays.
      storeError = error as Error
      client.stop()
      return
    }
    const storeMs = performance.now() - storeStarted
    done++
    processed++
    if (!outcome.ok) errors++
    const rate = processed / ((performance.now() - started) / 1000)
    pass.onProgress({ done, total, errors, imagesPerSecond: rate, etaSeconds: rate > 0 ? (total - done) / rate : null })
    pass.onImage({
      imageId,
      path: outcome.path,
      ok: outcome.ok,
      error: outcome.ok ? null : outcome.error,
      warning: outcome.ok ? outcome.image.warning : null,
      gatedIn: outcome.ok ? outcome.inspection.isGatedIn : null,
      classAreasPx: outcome.ok ? outcome.inspection.classes.map((c) => c.areaPx) : null,
      timings: outcome.ok ? outcome.timings : null,
      storeMs,
    })
  })
  if (storeError) throw new Error(`cannot record results in ${store.path}: ${(storeError as Error).message}`)
}
