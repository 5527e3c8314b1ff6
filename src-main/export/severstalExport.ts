// Severstal CSVs from the store: the masks a run produced for a source's images, in file order.
import { formatSeverstalCsv, type MaskRow, type SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import type { Store } from '../store/index.ts'

export interface SeverstalExportOptions {
  readonly sourceId: number
  readonly runId: number
  readonly format: SeverstalFormat
}

/** Every image of the source with a prediction in the run; failed images are left out. */
export function exportRunCsv(store: Store, options: SeverstalExportOptions): string {
  const run = store.runs.get(options.runId)
  if (!run) throw new Error(`no run ${options.runId} in ${store.path}`)
  const classIds = store.modelSets.get(run.modelSetId)!.classes.map((c) => c.id)
  const imageIds: string[] = []
  const masks: MaskRow[] = []
  for (const image of store.images.listBySource(options.sourceId)) {
    // A file whose content changed since the run saw it has no current result.
    if (store.predictions.get(options.runId, image.id)?.imageSha256 !== image.sha256) continue
    imageIds.push(image.relativePath)
    for (const mask of store.masks.fromRun(options.runId, image.id)) masks.push({ imageId: image.relativePath, classId: mask.classId, rle: mask.rle })
  }
  return formatSeverstalCsv(options.format, imageIds, classIds, masks)
}
