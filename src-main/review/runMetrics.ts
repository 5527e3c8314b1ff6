// Metrics that move with the sliders: per-class Dice against the source's truth under any profile,
// computed from per-image cumulative histograms built once per run (see thresholdMetrics.ts).
import type { ClassScore } from '../../src-shared/metrics.ts'
import { decodeRle } from '../../src-shared/rle.ts'
import { countClasses, optimiseProfile, scoreUnderProfile, type ImageCounts } from '../../src-shared/thresholdMetrics.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { Store } from '../store/index.ts'
import { sourceTruth, TruthProblem } from './truth.ts'

export interface RunCounts {
  readonly classIds: readonly number[]
  readonly images: readonly ImageCounts[]
}

/** Builds the counts of every image of a source with a result in the run; null without truth. */
export function buildRunCounts(store: Store, runId: number, sourceId: number): RunCounts | null {
  const source = store.sources.get(sourceId)
  const run = store.runs.get(runId)
  if (!source || !run) throw new Error(`no run ${runId} or source ${sourceId}`)
  // Most sources have no truth: found from the paths alone, before any image is read whole.
  const truth = sourceTruth(source.folderPath, store.images.listPaths(sourceId))
  if (truth.problem) throw new TruthProblem(truth.problem)
  if (truth.covered === 0) return null
  const sourceImages = store.images.listBySource(sourceId)
  const classIds = store.modelSets.get(run.modelSetId)!.classes.map((c) => c.id)
  const images: ImageCounts[] = []
  for (const image of sourceImages) {
    const prediction = store.predictions.get(runId, image.id)
    const found = truth.locate(image.relativePath)
    // An image no truth file covers is left out of the metrics rather than counted as defect-free.
    if (!prediction || image.width === null || image.height === null || !found.rows) continue
    const size = { height: image.height, width: image.width }
    const rows = found.rows
    const truthMasks = classIds.map((classId) => truthMask(rows.find((r) => r.classId === classId)?.rle ?? '', size, `${found.file}: ${found.key} class ${classId}`))
    const maps = store.predictions.readProbMaps(prediction.id)
    const classes = maps ? countClasses(maps.mapsU8, maps, size, truthMasks) : null
    const truthAreasPx = truthMasks.map((m) => m.reduce((sum, v) => sum + v, 0))
    images.push({ gateProbability: prediction.gateProbability, classes, truthAreasPx })
  }
  return { classIds, images }
}

function truthMask(rle: string, size: { height: number; width: number }, what: string): Uint8Array {
  try {
    return decodeRle(rle, size.height, size.width)
  } catch (error) {
    throw new TruthProblem(`${what}: ${(error as Error).message}`)
  }
}

export function scoreRun(counts: RunCounts, profile: ThresholdProfile): ClassScore[] {
  return scoreUnderProfile(counts.images, counts.classIds, profile)
}

export function optimiseRun(counts: RunCounts, profile: ThresholdProfile): ThresholdProfile {
  return optimiseProfile(counts.images, counts.classIds, profile)
}
