// What a job is and what the queue tells about it. JSON-safe: these cross to the renderer as they are.
import type { ProviderChoice } from '../inference/index.ts'
import type { ImageTimings, InspectorOptions } from '../pipeline/index.ts'

export { JOB_STATES } from '../../src-shared/apiTypes.ts'
export type { JobState } from '../../src-shared/apiTypes.ts'
import type { JobState } from '../../src-shared/apiTypes.ts'

/** A job is a source folder, a model set and the settings to run it with. */
export interface JobSettings {
  readonly folder: string
  readonly modelsDir: string
  readonly provider: ProviderChoice
  /** Threads per model session; the machine's cores when absent. */
  readonly threads?: number
  readonly inspector?: InspectorOptions
  /**
   * Only these files of the folder (relative paths), e.g. a reviewer forcing stage 2 for a
   * gated-out image: `inspector.gateThreshold: 0` makes a run of its own, recorded as such.
   */
  readonly only?: readonly string[]
  /** 'forced' for a reviewer forcing stage 2 (with `inspector.gateThreshold: 0`); default 'gated'. */
  readonly runKind?: RunKind
}

import type { RunKind } from '../store/index.ts'

/** `done` counts images with a result in the job's run, including those from before a restart. */
export type { JobProgress } from '../../src-shared/apiTypes.ts'
import type { JobProgress } from '../../src-shared/apiTypes.ts'

export interface JobSnapshot {
  readonly id: number
  /** 'watch': a watched source's job, fed as files arrive; it runs until stopped. */
  readonly kind: 'folder' | 'watch'
  readonly settings: JobSettings
  readonly state: JobState
  readonly sourceId: number | null
  readonly runId: number | null
  /** What the folder scan set aside (null until scanned). */
  readonly scan: {
    readonly failed: readonly { readonly path: string; readonly reason: string }[]
    readonly skipped: readonly { readonly path: string; readonly reason: string }[]
    readonly duplicates: readonly { readonly path: string; readonly sameAs: string }[]
    /** Sub-folders of the source not entered, each "path (why)". */
    readonly subfolders?: readonly string[]
  } | null
  readonly progress: JobProgress
  readonly provider: { readonly used: string; readonly fallbackReason: string | null } | null
  /** Why the job failed. */
  readonly message: string | null
}

export interface ImageFinished {
  readonly jobId: number
  readonly imageId: number
  readonly path: string
  readonly ok: boolean
  readonly error: string | null
  readonly warning: string | null
  readonly gatedIn: boolean | null
  readonly classAreasPx: readonly number[] | null
  readonly timings: ImageTimings | null
  /** Milliseconds main spent writing this result to the store. */
  readonly storeMs: number
}
