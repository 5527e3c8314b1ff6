// `coilscope report --db <file> --out report.pdf|report.html`: the inspection report of a run over a
// source, as reviewed. A PDF is printed by headless Chromium from the same HTML.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { GALLERY_ORDERS, PdfPrintError, reportFormatOf, writeReport, type GalleryOrder } from '../report/index.ts'
import type { CommandResult } from './commandResult.ts'
import { openExisting, pickSourceAndRun } from './recordedRuns.ts'
import { choice, MODELS_ROOT, positiveInteger } from './options.ts'
import { checkOutputPath, forceHint } from './outputCheck.ts'
import { UsageError } from './usageError.ts'
import { profileLabel } from '../../src-shared/profileContent.ts'

interface ReportCommandOptions {
  db: string
  out: string
  source?: string
  run?: number
  profile?: string
  signedOffBy?: string
  gallery: GalleryOrder
  galleryCount: number
  force: boolean
  models?: string
}

export function registerReport(program: Command, result: CommandResult): void {
  program
    .command('report')
    .description('write the inspection report of a run (as reviewed) as PDF or self-contained HTML')
    .requiredOption('--db <file>', 'database written by `coilscope inspect --db` or the app')
    .requiredOption('--out <file>', 'report.pdf (printed by headless Chromium) or report.html')
    .option('--force', 'replace the file if it exists', false)
    .option('--source <folder>', 'source folder (default: the only one in the database)')
    .option('--run <id>', "run id (default: the source's latest run, as the Library shows it)", positiveInteger)
    .option('--profile <name>', 'threshold profile for the model masks, "name" or "name@version" (default: the one applied to the run)')
    .option('--signed-off-by <name>', 'name printed in the sign-off box (default: the report.signedOffBy setting)')
    .option('--gallery <order>', `which defects the gallery shows: ${GALLERY_ORDERS.join(' | ')}`, choice(GALLERY_ORDERS), 'largest')
    .option('--gallery-count <n>', 'defects in the gallery', positiveInteger, 12)
    .option('--models <dir>', "the run's model-set folder (or a folder of sets), for its provenance and the fit check (default: the bundled models folder)")
    .action(async (options: ReportCommandOptions) => {
      const out = resolve(options.out)
      if (!reportFormatOf(out)) throw new UsageError(`${out}: the report is written as .pdf or .html`)
      checkOutputPath(out, { kind: 'file', force: options.force })
      const store = openExisting(options.db)
      try {
        const { source, runId } = pickSourceAndRun(store, options)
        const written = await writeReport(store, {
          out,
          overwrite: options.force,
          sourceId: source.id,
          runId,
          profileName: options.profile,
          signedOffBy: options.signedOffBy,
          galleryOrder: options.gallery,
          galleryCount: options.galleryCount,
          modelSetRoots: [...(options.models ? [resolve(options.models)] : []), MODELS_ROOT],
        }).catch((error) => {
          if (error instanceof PdfPrintError || /threshold profile/.test((error as Error).message)) throw new UsageError((error as Error).message)
          throw forceHint(error)
        })
        const s = written.data.summary
        process.stderr.write(
          `wrote ${written.path} (${written.format}, ${Math.round(written.bytes / 1024)} KiB): run ${runId} over ${source.folderPath}; ` +
            `${s.images} images, ${s.defectiveImages} defective, ${s.review.reviewed} reviewed, profile "${profileLabel(written.data.profile)}"\n`,
        )
        result.exitCode = 0
      } finally {
        store.close()
      }
    })
}
