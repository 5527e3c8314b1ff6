// `coilscope report --db <file> --out report.pdf|report.html`: the inspection report of a run over a
// source, as reviewed. A PDF is printed by headless Chromium from the same HTML.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { EmptyRangeError, GALLERY_ORDERS, PdfPrintError, reportFormatOf, writeReport, type GalleryOrder } from '../report/index.ts'
import type { CommandResult } from './commandResult.ts'
import { openExisting, pickSourceAndRun } from './recordedRuns.ts'
import { choice, MODELS_ROOT, positiveInteger } from './options.ts'
import { checkOutputPath, forceHint } from './outputCheck.ts'
import { UsageError } from './usageError.ts'
import { profileLabel } from '../../src-shared/profileContent.ts'
import { LARGE_RUN_IMAGES, reportRange, type TimeRange } from '../../src-shared/reportRange.ts'
import type { Store } from '../store/index.ts'

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
  from?: string
  to?: string
  last?: string
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
    .option('--from <time>', 'report in full only the images inspected from this ISO 8601 date-time (local, or with Z or an offset, e.g. 2026-11-30T06:00); the rest of the run is summarised')
    .option('--to <time>', 'end of the range (not included), with --from')
    .option('--last <span>', 'the range is the last span before now, e.g. 8h, 90m, 2d')
    .option('--models <dir>', "the run's model-set folder (or a folder of sets), for its provenance and the fit check (default: the bundled models folder)")
    .action(async (options: ReportCommandOptions) => {
      const out = resolve(options.out)
      if (!reportFormatOf(out)) throw new UsageError(`${out}: the report is written as .pdf or .html`)
      const range = parseRange(options)
      checkOutputPath(out, { kind: 'file', force: options.force })
      const store = openExisting(options.db)
      try {
        const { source, runId } = pickSourceAndRun(store, options)
        if (!range) warnIfLarge(store, runId)
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
          ...(range ? { range } : {}),
        }).catch((error) => {
          if (error instanceof PdfPrintError || error instanceof EmptyRangeError || /threshold profile/.test((error as Error).message)) throw new UsageError((error as Error).message)
          throw forceHint(error)
        })
        const s = written.data.summary
        const r = written.data.range
        const scope = r ? `images inspected from ${r.from} to ${r.to} (the rest summarised: ${r.before.images} before, ${r.after.images} after)` : 'images'
        process.stderr.write(
          `wrote ${written.path} (${written.format}, ${Math.round(written.bytes / 1024)} KiB): run ${runId} over ${source.folderPath}; ` +
            `${s.images} ${scope}, ${s.defectiveImages} defective, ${s.review.reviewed} reviewed, profile "${profileLabel(written.data.profile)}"\n`,
        )
        result.exitCode = 0
      } finally {
        store.close()
      }
    })
}

function parseRange(options: ReportCommandOptions): TimeRange | null {
  try {
    return reportRange(options, Date.now())
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** A whole-run report of a large run is written, but its cost is said first. */
function warnIfLarge(store: Store, runId: number): void {
  const { results } = store.reportRange.span(runId)
  if (results <= LARGE_RUN_IMAGES) return
  process.stderr.write(
    `run ${runId} holds ${results.toLocaleString('en-US')} images: a whole-run report reads every one (minutes). ` +
      'For a shift, report a time range: --last 8h, or --from 2026-11-30T06:00 --to 2026-11-30T14:00\n',
  )
}
