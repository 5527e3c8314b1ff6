// Public face of export/: every export through one request (runExport), and the pieces the report
// and other callers reuse.
export { TargetExistsError, writeDirAtomic, writeFileAtomic, type WriteOptions } from './atomicWrite.ts'
export { kaggleToCocoRle, maskGeometry, type CocoRle, type MaskGeometry } from './cocoRle.ts'
export { cocoJsonPieces, toCocoDataset, type CocoAnnotation, type CocoDataset } from './cocoExport.ts'
export {
  defaultRejectedPolicy,
  MASK_SOURCES,
  REJECTED_POLICIES,
  resolveProfile,
  selectForExport,
  streamSelection,
  type ExportImage,
  type ExportMask,
  type ExportSelection,
  type MaskSource,
  type RejectedPolicy,
  type SelectionOptions,
  type StreamedSelection,
} from './exportSelection.ts'
export { EXPORT_KINDS, ExportError, runExport, type ExportKind, type ExportRequest, type ExportResult } from './exportService.ts'
export { classMaskFileName, indexedMaskFileName, MASK_SIDECAR, OVERLAP_RULE } from './maskPngExport.ts'
export { encodePalettePng, parseHexColour, type Rgb } from './palettePng.ts'
export { formatReviewsCsv, REVIEW_COLUMNS, reviewsCsvPieces } from './reviewsExport.ts'
export { exportRunCsv, formatSelectionCsv, severstalCsvPieces, type SeverstalExportOptions } from './severstalExport.ts'
export { writeChunksAtomic } from './streamedFile.ts'
