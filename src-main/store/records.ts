// The store's typed records: plain, readonly, JSON-safe objects with camelCase fields, as the
// repositories return them. Probability maps are the one binary value (a Uint8Array), and they are
// read on their own so a listing never drags megabytes along.

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }
export type JsonObject = { readonly [key: string]: JsonValue }

// Lists the renderer sees too live once, in src-shared. A run's status is its job's state.
export { IMAGE_STATUSES, JOB_STATES as RUN_STATUSES, type ImageStatus, type JobState as RunStatus } from '../../src-shared/apiTypes.ts'
export { REVIEW_STATUSES, type ReviewStatusName as ReviewStatus } from '../../src-shared/reviewTypes.ts'
import type { ImageStatus, JobState as RunStatus } from '../../src-shared/apiTypes.ts'
import type { ReviewStatusName as ReviewStatus } from '../../src-shared/reviewTypes.ts'

export const MASK_ORIGINS = ['model', 'human'] as const
export type MaskOrigin = (typeof MASK_ORIGINS)[number]


export interface SourceRecord {
  readonly id: number
  readonly folderPath: string
  readonly addedAtMs: number
}

export interface ImageRecord {
  readonly id: number
  readonly sourceId: number
  readonly relativePath: string
  readonly byteSize: number
  readonly mtimeMs: number
  /** Hex SHA-256 of the file's bytes; null when the file could not be read. */
  readonly sha256: string | null
  readonly width: number | null
  readonly height: number | null
  readonly status: ImageStatus
  readonly error: string | null
  readonly warning: string | null
}

export interface ModelSetMember {
  readonly stage: 'classifier' | 'segmenter'
  readonly file: string
  readonly sha256: string
}

export interface ModelSetClass {
  readonly id: number
  readonly name: string
  readonly color: string
}

export interface ModelSetRecord {
  readonly id: number
  readonly manifestId: string
  readonly version: string
  readonly manifestSha256: string
  readonly members: readonly ModelSetMember[]
  readonly classes: readonly ModelSetClass[]
  readonly registeredAtMs: number
}

/** The reproducibility record of every result. */
export const RUN_KINDS = ['gated', 'forced'] as const
export type RunKind = (typeof RUN_KINDS)[number]

export interface RunRecord {
  readonly id: number
  /** The folder the run inspected; null only for a run recorded before runs had one, with no results. */
  readonly sourceId: number | null
  readonly modelSetId: number
  /** Post-processing settings as used (e.g. the manifest's upper/lower/minArea, or overrides). */
  readonly postprocess: JsonObject
  /** Null when the model set has no classifier stage. */
  readonly gateThreshold: number | null
  readonly tta: readonly string[]
  /** 'forced': stage 2 ran on images the gate would have left out (a reviewer asked for it). */
  readonly kind: RunKind
  readonly providerRequested: string
  /** Null until the worker has opened its sessions. */
  readonly providerUsed: string | null
  readonly providerFallbackReason: string | null
  readonly appVersion: string
  readonly ortVersion: string | null
  readonly startedAtMs: number
  readonly finishedAtMs: number | null
  readonly status: RunStatus
}

export interface ClassStat {
  readonly classId: number
  /** Mask area at image size, after post-processing. */
  readonly areaImagePx: number
  /** Highest stage-2 probability of the class anywhere in the image (0 when gated out). */
  readonly maxProbability: number
  /** How much the ensemble members disagree on this class (for uncertainty sorting); null if not measured. */
  readonly disagreement: number | null
}

export interface ProbMapShape {
  readonly height: number
  readonly width: number
  readonly classCount: number
}

/** Stage-2 maps at model resolution, q = round(255·p), class-major: [class][row][column]. */
export interface ProbMaps extends ProbMapShape {
  readonly mapsU8: Uint8Array
}

export interface PredictionRecord {
  readonly id: number
  readonly runId: number
  readonly imageId: number
  /** The content the prediction was computed from; a changed file no longer matches. */
  readonly imageSha256: string
  /** Null when the model set has no classifier stage. */
  readonly gateProbability: number | null
  readonly gatePassed: boolean
  readonly classStats: readonly ClassStat[]
  /** Null when stage 2 did not run (gated out). */
  readonly probMapShape: ProbMapShape | null
  readonly createdAtMs: number
}

export interface MaskRecord {
  readonly id: number
  readonly imageId: number
  readonly runId: number | null
  readonly classId: number
  /** Kaggle RLE at image size (column-major, 1-based); '' is an empty mask. */
  readonly rle: string
  readonly origin: MaskOrigin
  /** 1, 2, … per (image, class); the highest is current. */
  readonly revision: number
  readonly createdAtMs: number
}

export interface EditRecord {
  readonly id: number
  readonly imageId: number
  readonly classId: number
  readonly beforeRle: string
  readonly afterRle: string
  /** The mask revision this edit produced. */
  readonly maskId: number
  readonly tool: string
  readonly author: string
  readonly createdAtMs: number
}

export interface ReviewRecord {
  readonly id: number
  readonly imageId: number
  readonly status: ReviewStatus
  readonly author: string
  readonly note: string
  readonly createdAtMs: number
}
