// Severstal CSVs from the store: a run's masks for a source's images, in file order, as the model
// made them or as reviewed (see exportSelection.ts).
import { formatSeverstalCsv, severstalHeader, severstalImageRows, severstalRowsText, type SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import type { Store } from '../store/index.ts'
import { selectForExport, type ExportSelection, type StreamedSelection } from './exportSelection.ts'

export interface SeverstalExportOptions {
  readonly sourceId: number
  readonly runId: number
  readonly format: SeverstalFormat
}

/** The run's stored model masks for every image of the source with a current result. */
export function exportRunCsv(store: Store, options: SeverstalExportOptions): string {
  return formatSelectionCsv(selectForExport(store, { sourceId: options.sourceId, runId: options.runId, masks: 'model', rejected: 'include' }), options.format)
}

export function formatSelectionCsv(selection: ExportSelection, format: SeverstalFormat): string {
  const imageIds = selection.images.map((e) => e.image.relativePath)
  const masks = selection.images.flatMap((e) => e.masks.map((m) => ({ imageId: e.image.relativePath, classId: m.classId, rle: m.rle })))
  return formatSeverstalCsv(format, imageIds, selection.classes.map((c) => c.id), masks)
}

const ROWS_PER_PIECE = 500

/** The same CSV as formatSelectionCsv, in pieces of a few hundred images as they are read. */
export function* severstalCsvPieces(selection: StreamedSelection, format: SeverstalFormat, written = { nonEmptyMasks: 0 }): Generator<string> {
  const sortedClasses = selection.classes.map((c) => c.id).sort((a, b) => a - b)
  yield severstalHeader(format)
  let rows: string[][] = []
  for (const { image, masks } of selection.images()) {
    const rleOf = new Map(masks.map((m) => [m.classId, m.rle]))
    written.nonEmptyMasks += masks.filter((m) => m.rle !== '').length
    rows.push(...severstalImageRows(format, image.relativePath, sortedClasses, (classId) => rleOf.get(classId) ?? ''))
    if (rows.length < ROWS_PER_PIECE) continue
    yield severstalRowsText(rows)
    rows = []
  }
  if (rows.length > 0) yield severstalRowsText(rows)
}
