// `coilscope export --db <file> --out <csv>`: writes a run's masks for a source from the database.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { SEVERSTAL_FORMATS, type SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import { writeFileAtomic } from '../export/atomicWrite.ts'
import { exportRunCsv } from '../export/severstalExport.ts'
import { openStore, StoreOpenError, type SourceRecord, type Store } from '../store/index.ts'
import type { CommandResult } from './index.ts'
import { choice, positiveInteger } from './options.ts'
import { UsageError } from './usageError.ts'

interface ExportOptions {
  db: string
  out: string
  format: SeverstalFormat
  source?: string
  run?: number
}

export function registerExport(program: Command, result: CommandResult): void {
  program
    .command('export')
    .description('write a Severstal CSV of recorded results from a database')
    .requiredOption('--db <file>', 'database written by `coilscope inspect --db`')
    .requiredOption('--out <csv>', 'CSV to write')
    .option('--format <format>', `CSV form: ${SEVERSTAL_FORMATS.join(' | ')}`, choice(SEVERSTAL_FORMATS), 'kaggle2019')
    .option('--source <folder>', 'source folder (default: the only one in the database)')
    .option('--run <id>', 'run id (default: the newest run with results for the source)', positiveInteger)
    .action(async (options: ExportOptions) => {
      const dbPath = resolve(options.db)
      if (!existsSync(dbPath)) throw new UsageError(`${dbPath}: no such database`)
      const store = open(dbPath)
      try {
        const source = pickSource(store, options.source)
        const runId = options.run ?? newestRunWithResults(store, source)
        const out = resolve(options.out)
        await writeFileAtomic(out, exportRunCsv(store, { sourceId: source.id, runId, format: options.format })).catch((error) => {
          throw new Error(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
        })
        process.stderr.write(`wrote ${out} (${options.format}): run ${runId} over ${source.folderPath}\n`)
        result.exitCode = 0
      } finally {
        store.close()
      }
    })
}

function open(path: string): Store {
  try {
    return openStore(path)
  } catch (error) {
    throw new UsageError(error instanceof StoreOpenError ? error.message : `${path}: ${(error as Error).message}`)
  }
}

function pickSource(store: Store, folder: string | undefined): SourceRecord {
  const sources = store.sources.list()
  if (folder) {
    const source = store.sources.findByPath(resolve(folder))
    if (!source) throw new UsageError(`${resolve(folder)} is not a source in ${store.path}; sources: ${sources.map((s) => s.folderPath).join(', ') || 'none'}`)
    return source
  }
  if (sources.length !== 1) throw new UsageError(`${store.path} has ${sources.length} sources; choose one with --source (${sources.map((s) => s.folderPath).join(', ')})`)
  return sources[0]
}

function newestRunWithResults(store: Store, source: SourceRecord): number {
  const imageIds = store.images.listBySource(source.id).map((i) => i.id)
  const runs = store.runs.list().reverse()
  const run = runs.find((r) => imageIds.some((id) => store.predictions.get(r.id, id)))
  if (!run) throw new UsageError(`${store.path} has no results for ${source.folderPath}`)
  return run.id
}
