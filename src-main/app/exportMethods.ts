// The Export screen's API methods: every export kind and the inspection report, written atomically
// to a path the user chose. A PDF is printed by the host (Electron's printToPDF) where it can,
// else by headless Chromium.
import { isAbsolute } from 'node:path'
import type { ExportApiMethods } from '../../src-shared/exportTypes.ts'
import { runExport } from '../export/index.ts'
import { writeReport, type PdfPrinter } from '../report/index.ts'
import type { Store } from '../store/index.ts'

/** `modelSetRoots` gives where the run's model set may be, for the report's provenance and fit check. */
export function createExportMethods(store: Store, printPdf?: PdfPrinter, modelSetRoots: () => readonly string[] = () => []): ExportApiMethods {
  return {
    exportRun: async (input) => {
      requireAbsolute(input.out)
      const result = await runExport(store, input)
      const { what, path, images, rejectedImages, nonEmptyMasks, files } = result
      return { what, path, images, rejectedImages, nonEmptyMasks, files }
    },
    writeReport: async (input) => {
      requireAbsolute(input.out)
      const { path, format, bytes } = await writeReport(store, { ...input, printPdf, modelSetRoots: modelSetRoots() })
      return { path, format, bytes }
    },
  }
}

/** The service has no working directory the user knows: paths must be whole. */
function requireAbsolute(path: string): void {
  if (!isAbsolute(path)) throw new Error(`${path}: give the whole path of the file or folder to write`)
}
