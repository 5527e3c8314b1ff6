// Writes one inference outcome into the store in one transaction: the content hash, the
// prediction with its maps and model masks, and the image's status. A failure is recorded on the
// image with its reason; nothing else is touched.
import type { FileOutcome } from '../pipeline/index.ts'
import type { PredictionInput, Store } from '../store/index.ts'

export interface OutcomeContext {
  readonly runId: number
  readonly imageId: number
  /** Model resolution of the stored maps. */
  readonly mapHeight: number
  readonly mapWidth: number
}

export function recordOutcome(store: Store, outcome: FileOutcome, context: OutcomeContext): void {
  store.transaction(() => {
    if (!outcome.ok) {
      store.images.markFailed(context.imageId, outcome.error)
      return
    }
    store.images.recordContent(context.imageId, outcome.sha256)
    store.predictions.save(toPredictionInput(outcome, context))
    store.images.markDone(context.imageId, { width: outcome.image.width, height: outcome.image.height, warning: outcome.image.warning })
  })
}

export function toPredictionInput(outcome: Extract<FileOutcome, { ok: true }>, context: OutcomeContext): PredictionInput {
  const { inspection } = outcome
  const classes = inspection.classes
  return {
    runId: context.runId,
    imageId: context.imageId,
    imageSha256: outcome.sha256,
    gateProbability: inspection.gateProbability,
    gatePassed: inspection.isGatedIn,
    classStats: classes.map((c) => ({ classId: c.classId, areaImagePx: c.areaPx, maxProbability: c.maxProbability, disagreement: c.disagreement })),
    probMaps: inspection.probMapsU8 && { height: context.mapHeight, width: context.mapWidth, classCount: classes.length, mapsU8: inspection.probMapsU8 },
    masks: classes.map((c) => ({ classId: c.classId, rle: c.rle })),
  }
}
