// `coilscope export --db <file> --out <path> [--what …]`: writes a run's results for a source from
// the database — Severstal CSV, mask PNGs, COCO JSON or the reviews CSV — as the model made them or
// as reviewed. Finding the database, source and run is recordedRuns.ts, shared with `coilscope report`.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { SEVERSTAL_FORMATS, type SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import { EXPORT_KINDS, MASK_SOURCES, REJECTED_POLICIES, runExport, type ExportKind, type MaskSource, type RejectedPolicy } from '../export/index.ts'
import type { CommandResult } from './commandResult.ts'
import { choice, positiveInteger } from './options.ts'
import { checkOutputPath, forceHint } from './outputCheck.ts'
import { openExisting, pickSourceAndRun } from './recordedRuns.ts'
import { UsageError } from './usageError.ts'

interface ExportOptions {
  db: string
  out: string
  what: ExportKind
  format: SeverstalFormat
  masks: MaskSource
  profile?: string
  rejected?: RejectedPolicy
  source?: string
  run?: number
  force: boolean
}

export function registerExport(program: Command, result: CommandResult): void {
  program
    .command('export')
    .description('write recorded results from a database: Severstal CSV, mask PNGs, COCO JSON or the reviews CSV')
    .requiredOption('--db <file>', 'database written by `coilscope inspect --db` or the app')
    .requiredOption('--out <path>', 'file to write (a folder for png and indexed-png: a new or empty one)')
    .option('--force', 'replace an existing file; write into a folder that has files (only files of the names the export writes are replaced)', false)
    .option('--what <kind>', `${EXPORT_KINDS.join(' | ')}`, choice(EXPORT_KINDS), 'csv')
    .option('--format <format>', `CSV form: ${SEVERSTAL_FORMATS.join(' | ')}`, choice(SEVERSTAL_FORMATS), 'kaggle2019')
    .option('--masks <which>', 'model: as the run stored them | reviewed: human masks where edited, model masks under the threshold profile elsewhere', choice(MASK_SOURCES), 'model')
    .option('--profile <name>', 'threshold profile for reviewed masks, "name" or "name@version" (default: the one applied to the run)')
    .option('--rejected <policy>', `rejected images: ${REJECTED_POLICIES.join(' | ')} (default: include for model masks, exclude for reviewed)`, choice(REJECTED_POLICIES))
    .option('--source <folder>', 'source folder (default: the only one in the database)')
    .option('--run <id>', "run id (default: the source's latest run, as the Library shows it)", positiveInteger)
    .action(async (options: ExportOptions) => {
      if (options.profile !== undefined && options.masks !== 'reviewed') throw new UsageError('--profile applies to --masks reviewed only')
      const out = resolve(options.out)
      checkOutputPath(out, { kind: options.what === 'png' || options.what === 'indexed-png' ? 'folder' : 'file', force: options.force })
      const store = openExisting(options.db)
      try {
        const { source, runId } = pickSourceAndRun(store, options)
        const written = await runExport(store, {
          what: options.what,
          out,
          overwrite: options.force,
          sourceId: source.id,
          runId,
          format: options.format,
          masks: options.masks,
          profileName: options.profile,
          rejected: options.rejected,
        }).catch((error) => {
          throw /threshold profile/.test((error as Error).message) ? new UsageError((error as Error).message) : forceHint(error)
        })
        const masks = written.what === 'reviews' ? '' : `, ${written.masks} masks${written.profile ? ` under "${written.profile}"` : ''}, rejected ${written.rejected}`
        const kind = written.what === 'csv' ? `csv ${options.format}` : written.what
        process.stderr.write(
          `wrote ${written.path} (${kind}${masks}): ${written.images} images, ${written.nonEmptyMasks} masks, run ${runId} over ${source.folderPath}` +
            `${written.rejectedImages > 0 ? `; ${written.rejectedImages} rejected images ${written.rejected === 'exclude' ? 'left out' : 'emptied'}` : ''}\n`,
        )
        result.exitCode = 0
      } finally {
        store.close()
      }
    })
}
