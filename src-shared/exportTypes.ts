// What the Export screen asks for and gets back (JSON-safe). src-main/export and src-main/report
// use these same lists.
export const EXPORT_KINDS = ['csv', 'png', 'indexed-png', 'coco', 'reviews'] as const
export type ExportKindName = (typeof EXPORT_KINDS)[number]
export const EXPORT_MASK_SOURCES = ['model', 'reviewed'] as const
export const EXPORT_REJECTED_POLICIES = ['include', 'exclude', 'empty'] as const
export const REPORT_GALLERY_ORDERS = ['largest', 'uncertain'] as const

export interface ExportRunInput {
  readonly sourceId: number
  readonly runId: number
  readonly what: ExportKindName
  /** A file (csv, coco, reviews) or a folder (png, indexed-png), written atomically; on the web
   * host a file name only, written under the library's export folder. */
  readonly out: string
  /** Replace an existing file, or write into a folder that has files (replacing only the export's own names). */
  readonly overwrite?: boolean
  readonly format?: 'kaggle2019' | 'kaggle'
  readonly masks?: (typeof EXPORT_MASK_SOURCES)[number]
  readonly profileName?: string
  readonly rejected?: (typeof EXPORT_REJECTED_POLICIES)[number]
}

export interface ExportRunOutput {
  readonly what: ExportKindName
  readonly path: string
  readonly images: number
  readonly rejectedImages: number
  readonly nonEmptyMasks: number
  readonly files: number
  /** Where the browser downloads it (web host only: it writes under its own export folder). */
  readonly downloadUrl?: string
}

export interface WriteReportInput {
  readonly sourceId: number
  readonly runId: number
  /** .pdf or .html; on the web host a file name only */
  readonly out: string
  /** Replace an existing file. */
  readonly overwrite?: boolean
  readonly signedOffBy?: string
  readonly profileName?: string
  readonly galleryOrder?: (typeof REPORT_GALLERY_ORDERS)[number]
  /** A time range (ISO 8601 date-times with Z or an offset, from ≤ t < to): only its images in full, the rest of the run summarised. */
  readonly range?: { readonly from: string; readonly to: string }
}

export interface WriteReportOutput {
  readonly path: string
  readonly format: 'pdf' | 'html'
  readonly bytes: number
  /** Where the browser downloads it (web host only). */
  readonly downloadUrl?: string
}

export interface ExportApiMethods {
  exportRun(input: ExportRunInput): Promise<ExportRunOutput>
  writeReport(input: WriteReportInput): Promise<WriteReportOutput>
  /** One coil's report (see docs/coils.md), written like writeReport. */
  writeCoilReport(input: { readonly coilId: number; readonly out: string; readonly overwrite?: boolean }): Promise<WriteReportOutput>
}
