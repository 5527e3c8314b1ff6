// The Export screen's API methods: every export kind and the inspection report, written atomically.
// The desktop app writes to the whole path its user chose in a dialog; a host with an export
// destination (the web host) takes a file name only, writes under its own folder and answers with
// the URL the browser downloads the result from. A PDF is printed by the host (Electron's
// printToPDF) where it can, else by headless Chromium.
import { isAbsolute } from 'node:path'
import type { ExportApiMethods } from '../../src-shared/exportTypes.ts'
import { runExport } from '../export/index.ts'
import { writeReport, type PdfPrinter } from '../report/index.ts'
import { writeCoilReport } from '../report/coilReport.ts'
import { FORM_NAMES, reportRange } from '../../src-shared/reportRange.ts'
import type { Store } from '../store/index.ts'

/** One export's place in a host's own folder. */
export interface PlacedExport {
  /** The path to write. */
  readonly out: string
  /** Once written: the URL to download it from (a folder is packed first). */
  finish(isFolder: boolean): Promise<string>
  /** After a failure: removes what was reserved. */
  discard(): Promise<void>
}

export interface ExportDestination {
  /** Reserves a place for an export the renderer named; refuses anything but a plain file name. */
  place(name: string): Promise<PlacedExport>
}

/** `modelSetRoots` gives where the run's model set may be, for the report's provenance and fit check. */
export function createExportMethods(
  store: Store,
  printPdf?: PdfPrinter,
  destination?: ExportDestination,
  modelSetRoots: () => readonly string[] = () => [],
): ExportApiMethods {
  /** Runs `write` at the path the user gave, or at a place in the host's folder. */
  async function at<T extends { path: string }>(out: string, write: (path: string) => Promise<T>, isFolder: (result: NoInfer<T>) => boolean): Promise<T & { downloadUrl?: string }> {
    if (!destination) {
      requireAbsolute(out)
      return write(out)
    }
    const placed = await destination.place(out)
    try {
      const result = await write(placed.out)
      return { ...result, downloadUrl: await placed.finish(isFolder(result)) }
    } catch (error) {
      await placed.discard()
      throw error
    }
  }

  return {
    exportRun: async (input) => {
      const result = await at(input.out, (out) => runExport(store, { ...input, out }), (r) => r.what === 'png' || r.what === 'indexed-png')
      const { what, path, images, rejectedImages, nonEmptyMasks, files, downloadUrl } = result
      return { what, path, images, rejectedImages, nonEmptyMasks, files, ...(downloadUrl ? { downloadUrl } : {}) }
    },
    writeReport: async ({ range: given, ...input }) => {
      // Checked before a file is reserved: a mistyped range names itself and writes nothing.
      const range = given ? reportRange(given, Date.now(), FORM_NAMES) : null
      const result = await at(input.out, (out) => writeReport(store, { ...input, out, printPdf, modelSetRoots: modelSetRoots(), ...(range ? { range } : {}) }), () => false)
      const { path, format, bytes, downloadUrl } = result
      return { path, format, bytes, ...(downloadUrl ? { downloadUrl } : {}) }
    },
    writeCoilReport: async ({ coilId, out, overwrite }) => {
      const result = await at(out, (path) => writeCoilReport(store, { coilId, out: path, overwrite, printPdf }), () => false)
      const { path, bytes, downloadUrl } = result
      return { path, format: path.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html', bytes, ...(downloadUrl ? { downloadUrl } : {}) }
    },
  }
}

/** The service has no working directory the user knows: paths must be whole. */
function requireAbsolute(path: string): void {
  if (!isAbsolute(path)) throw new Error(`${path}: give the whole path of the file or folder to write`)
}
