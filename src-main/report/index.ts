// Public face of report/: the inspection report as data, as HTML (what the app prints with
// printToPDF) and as a written file — .html, or .pdf printed by headless Chromium.
import { extname } from 'node:path'
import { TargetExistsError, writeFileAtomic } from '../export/index.ts'
import type { Store } from '../store/index.ts'
import { coilMap } from '../coils/coilMap.ts'
import { renderCoilSection } from './coilSection.ts'
import { coilAlong } from './coilPositions.ts'
import { printHtmlToPdf } from './printPdf.ts'
import { renderReportCharts } from './reportCharts.ts'
import { defectKey, gatherReport, type ReportData, type ReportOptions } from './reportData.ts'
import { modelSetContext } from './modelSetContext.ts'
import { renderReportHtml } from './reportHtml.ts'
import { galleryImagePath, renderThumbnail, type Thumbnail } from './reportThumbnails.ts'

export { CHROMIUM_CANDIDATES, findChromium, footerTemplate, PdfPrintError, printHtmlToPdf } from './printPdf.ts'
export { collectReportData, defectKey, GALLERY_ORDERS, SIGN_OFF_SETTING, type GalleryOrder, type ReportData, type ReportDefect, type ReportOptions } from './reportData.ts'
export { REPORT_DATA_ID } from './reportHtml.ts'
export { EmptyRangeError, RANGE_TIME_BASIS, type ReportRange, type RestPart } from './reportRange.ts'

export const REPORT_FORMATS = ['html', 'pdf'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export interface ReportHtml {
  readonly html: string
  readonly data: ReportData
}

/** The self-contained report page for a run over a source. */
export async function buildReportHtml(store: Store, options: ReportOptions): Promise<ReportHtml> {
  const gathered = gatherReport(store, options)
  const { rles } = gathered
  const context = await modelSetContext(gathered.data.modelSet.manifestSha256, gathered.data.source.folderPath, options.modelSetRoots ?? [])
  const data: ReportData = { ...gathered.data, modelSet: { ...gathered.data.modelSet, trainedOn: context.trainedOn, synthetic: context.synthetic }, fit: context.fit }
  const thumbnails = new Map<string, Thumbnail>()
  const colours = new Map(data.classes.map((c) => [c.id, c.color]))
  for (const defect of data.gallery.defects) {
    const image = store.images.get(defect.imageId)!
    const key = defectKey(defect)
    const imagePath = galleryImagePath(data.source.folderPath, image.relativePath)
    thumbnails.set(key, await renderThumbnail({ imagePath, sha256: image.sha256, rle: rles.get(key)!, bbox: defect.bbox, color: colours.get(defect.classId)! }))
  }
  // A range's report shows the coils with an image in the range.
  const inRange = options.range && new Set(store.reportRange.coilsInRange(data.run.id, options.range.fromMs, options.range.toMs))
  const coilIds = store.coils.list(data.source.id).map((coil) => coil.id).filter((id) => !inRange || inRange.has(id))
  const charts = await renderReportCharts(data, coilAlong(store, data.source.id, coilIds))
  const coilSection = renderCoilSection(coilIds, (coilId) => coilMap(store, coilId), data.classes)
  return { html: renderReportHtml(data, charts, thumbnails, coilSection), data }
}

/** Prints self-contained HTML to PDF bytes: Electron's printToPDF in the app, headless Chromium elsewhere. */
export type PdfPrinter = (html: string, footer: string) => Promise<Uint8Array>

export interface WriteReportOptions extends ReportOptions {
  /** .html or .pdf. */
  readonly out: string
  /** Replace an existing file; default false (refused with TargetExistsError). */
  readonly overwrite?: boolean
  readonly chromiumPath?: string
  readonly printPdf?: PdfPrinter
}

export interface WrittenReport {
  readonly path: string
  readonly format: ReportFormat
  readonly bytes: number
  readonly data: ReportData
}

export function reportFormatOf(path: string): ReportFormat | null {
  const ext = extname(path).toLowerCase()
  return ext === '.pdf' ? 'pdf' : ext === '.html' || ext === '.htm' ? 'html' : null
}

/** The footer line of every printed page. */
export function reportFooterText(data: ReportData): string {
  return `Coilscope inspection report · ${data.source.folderPath} · run #${data.run.id}`
}

/** Writes the report atomically; a PDF needs Chromium (PdfPrintError says what is missing). */
export async function writeReport(store: Store, options: WriteReportOptions): Promise<WrittenReport> {
  const format = reportFormatOf(options.out)
  if (!format) throw new Error(`${options.out}: the report is written as .pdf or .html`)
  const { html, data } = await buildReportHtml(store, options)
  const bytes =
    format === 'html'
      ? Buffer.from(html, 'utf8')
      : options.printPdf
        ? await options.printPdf(html, reportFooterText(data))
        : await printHtmlToPdf(html, { footer: reportFooterText(data), chromiumPath: options.chromiumPath })
  try {
    await writeFileAtomic(options.out, bytes, options)
  } catch (error) {
    if (error instanceof TargetExistsError) throw error
    throw new Error(`cannot write ${options.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error })
  }
  return { path: options.out, format, bytes: bytes.length, data }
}

