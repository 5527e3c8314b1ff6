// Reads both sides' results image by image and counts what the comparison needs: each side's
// model masks are thresholded from its stored probability maps under its profile (the display
// rule, no model is run), and the truth is either truth.csv beside the images or the masks
// reviewers accepted. Images without a result on both sides are counted, not compared.
import { countMaskPair, type ClassPairCounts } from '../../src-shared/compare/maskPairCounts.ts'
import type { ImagePairCounts } from '../../src-shared/compare/compareStats.ts'
import { modelMasksUnder } from '../../src-shared/reviewedMasks.ts'
import { decodeRle } from '../../src-shared/rle.ts'
import type { Size } from '../../src-shared/postprocess.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import { profileForRun } from '../review/profiles.ts'
import { reviewedMasks } from '../review/reviewedMasks.ts'
import { sourceTruth, TRUTH_FILE } from '../review/truth.ts'
import type { ImageRecord, PredictionRecord, SourceRecord, Store } from '../store/index.ts'
import type { ResolvedSide } from './compareSide.ts'

export const TRUTH_CHOICES = ['auto', 'csv', 'reviewed', 'none'] as const
export type TruthChoice = (typeof TRUTH_CHOICES)[number]

export interface TruthUsed {
  readonly kind: 'csv' | 'reviewed' | 'none'
  /** e.g. "truth.csv beside the images", "images reviewers accepted (run 4, profile …)". */
  readonly description: string
}

export interface CollectedCounts {
  readonly images: ImagePairCounts[]
  readonly truth: TruthUsed
  /** Images of the source without a result on side A, on side B. */
  readonly missingA: number
  readonly missingB: number
}

/** Per image, the truth masks by class (image size), or null for an image without truth. */
type TruthReader = (image: ImageRecord, size: Size) => Uint8Array[] | null

export function collectPairCounts(store: Store, source: SourceRecord, a: ResolvedSide, b: ResolvedSide, choice: TruthChoice): CollectedCounts {
  const classIds = a.modelSet.classes.map((c) => c.id)
  const classesB = b.modelSet.classes.map((c) => c.id)
  if (classIds.join() !== classesB.join()) {
    throw new Error(`the sides have different classes: A (${a.modelSet.manifestId}) ${classIds.join(', ')}, B (${b.modelSet.manifestId}) ${classesB.join(', ')}`)
  }
  const { truth, read } = truthReader(store, source, classIds, choice)
  const images: ImagePairCounts[] = []
  let missingA = 0
  let missingB = 0
  for (const image of store.images.listBySource(source.id)) {
    const pa = store.predictions.get(a.run.id, image.id)
    const pb = store.predictions.get(b.run.id, image.id)
    if (!pa) missingA++
    if (!pb) missingB++
    if (!pa || !pb || image.height === null || image.width === null) continue
    const size = { height: image.height, width: image.width }
    const masksA = modelMasks(store, pa, size, classIds.length, a.profile)
    const masksB = modelMasks(store, pb, size, classIds.length, b.profile)
    const truthMasks = read(image, size)
    const classes: ClassPairCounts[] = classIds.map((_, c) => countMaskPair(masksA[c], masksB[c], truthMasks?.[c] ?? null))
    images.push({ imageId: image.id, name: image.relativePath, classes })
  }
  return { images, truth, missingA, missingB }
}

/** A side's model masks at image size under its profile, one per class. */
export function modelMasks(store: Store, prediction: PredictionRecord, size: Size, classCount: number, profile: ThresholdProfile): Uint8Array[] {
  const maps = store.predictions.readProbMaps(prediction.id)
  return modelMasksUnder(maps?.mapsU8 ?? null, maps ?? null, size, classCount, profile, prediction.gateProbability)
}

function truthReader(store: Store, source: SourceRecord, classIds: readonly number[], choice: TruthChoice): { truth: TruthUsed; read: TruthReader } {
  const none = { truth: { kind: 'none' as const, description: 'no truth' }, read: () => null }
  if (choice === 'none') return none
  if (choice === 'csv' || choice === 'auto') {
    const loaded = sourceTruth(source.folderPath, store.images.listPaths(source.id))
    if (loaded.problem) throw new Error(loaded.problem)
    if (loaded.covered > 0) {
      return {
        truth: { kind: 'csv', description: `${TRUTH_FILE} beside the images` },
        read: (image, size) => {
          const found = loaded.locate(image.relativePath)
          if (!found.rows) return null
          const rows = found.rows
          return classIds.map((classId) => {
            const rle = rows.find((r) => r.classId === classId)?.rle ?? ''
            try {
              return decodeRle(rle, size.height, size.width)
            } catch (error) {
              throw new Error(`${found.file}: ${found.key} class ${classId}: ${(error as Error).message}`)
            }
          })
        },
      }
    }
    if (choice === 'csv') throw new Error(`${source.folderPath}/${TRUTH_FILE}: no such file`)
  }
  return reviewedTruth(store, source, classIds) ?? (choice === 'reviewed' ? failNoReviews(source) : none)
}

/**
 * The masks reviewers accepted, as the Review screen showed them: the human mask where a class was
 * edited, else the model's under the profile of the source's latest run. Only accepted images count.
 */
function reviewedTruth(store: Store, source: SourceRecord, classIds: readonly number[]): { truth: TruthUsed; read: TruthReader } | null {
  const runId = store.imageTable.latestRunId(source.id)
  const images = store.images.listBySource(source.id)
  const reviews = store.reviews.currentForImages(images.map((i) => i.id))
  if (runId === undefined || ![...reviews.values()].some((r) => r.status === 'accepted')) return null
  const profile = profileForRun(store, runId)
  return {
    truth: { kind: 'reviewed', description: `masks of the images reviewers accepted (${[...reviews.values()].filter((r) => r.status === 'accepted').length} images; run ${runId} as reviewed)` },
    read: (image, size) => {
      if (reviews.get(image.id)?.status !== 'accepted' || !store.predictions.get(runId, image.id)) return null
      const byClass = new Map(reviewedMasks(store, runId, image.id, profile).map((m) => [m.classId, m.rle]))
      return classIds.map((classId) => decodeRle(byClass.get(classId) ?? '', size.height, size.width))
    },
  }
}

function failNoReviews(source: SourceRecord): never {
  throw new Error(`${source.folderPath}: no image has been accepted in Review, so there is no reviewed truth`)
}
