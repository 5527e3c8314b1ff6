// `coilscope inspect <folder>`: runs a model set over a folder through the job queue and the
// inference process, records everything in a database (--db, or a temporary one), and writes the
// submission CSV from it.
import { folderFit } from '../fit/folderFit.ts'
import { readManifest } from '../inference/index.ts'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { SEVERSTAL_FORMATS, type SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import { TargetExistsError, writeFileAtomic } from '../export/atomicWrite.ts'
import { exportRunCsv } from '../export/severstalExport.ts'
import { PROVIDER_CHOICES, type ProviderChoice } from '../inference/index.ts'
import { JobQueue } from '../queue/index.ts'
import { openStore, StoreOpenError, type Store } from '../store/index.ts'
import type { CommandResult } from './commandResult.ts'
import { formatInspectSummary, InspectTally, type InspectSummary } from './inspectSummary.ts'
import { choice, DEFAULT_MODELS_DIR, isDirectory, positiveInteger } from './options.ts'
import { checkOutputPath } from './outputCheck.ts'
import { ProgressReporter } from './progress.ts'
import { UsageError } from './usageError.ts'

export interface InspectOptions {
  models: string
  out: string
  format: SeverstalFormat
  provider: ProviderChoice
  threads?: number
  db?: string
  gateOverride?: string
  json: boolean
  /** Replace --out if it exists. */
  force: boolean
}

export function registerInspect(program: Command, result: CommandResult): void {
  program
    .command('inspect')
    .description('run the model set over every image in a folder and write a Severstal submission CSV')
    .argument('<folder>', 'folder of coil images (recognised by content, not extension)')
    .option('--models <dir>', 'model set folder', DEFAULT_MODELS_DIR)
    .option('--out <csv>', 'submission CSV to write', 'submission.csv')
    .option('--force', 'replace the --out file if it exists', false)
    .option('--format <format>', `CSV form: ${SEVERSTAL_FORMATS.join(' | ')}`, choice(SEVERSTAL_FORMATS), 'kaggle2019')
    .option('--provider <provider>', `execution provider: ${PROVIDER_CHOICES.join(' | ')}`, choice(PROVIDER_CHOICES), 'auto')
    .option('--threads <n>', 'threads per model session (default: all cores)', positiveInteger)
    .option('--db <file>', 'record every result in this database; a re-run does only new or changed images (default: a temporary database)')
    .option('--json', 'print the summary as JSON on stdout', false)
    // For benchmarks (npm run bench): send a known set of images to stage 2. The run's recorded
    // settings do not show it, so do not mix such a run into a database kept for real work.
    .addOption(new Option('--gate-override <json>', 'JSON file {"<file name>": true | false} forcing the gate of those images').hideHelp())
    .action(async (folder: string, options: InspectOptions) => {
      const summary = await inspectFolder(resolve(folder), options)
      if (options.json) {
        // The summary on stdout is for programs; people watching stderr still learn why not CUDA.
        if (summary.providerFallback) process.stderr.write(`coilscope: ran on the CPU: ${summary.providerFallback}\n`)
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
      } else process.stderr.write(formatInspectSummary(summary))
      result.exitCode = summary.errors.length > 0 ? 3 : 0
    })
}

/** Inspects a folder through the queue and writes the CSV; progress on stderr, the summary returned. */
export async function inspectFolder(folder: string, options: Omit<InspectOptions, 'json'>, progress = new ProgressReporter()): Promise<InspectSummary> {
  if (!isDirectory(folder)) throw new UsageError(`${folder}: no such folder`)
  const out = resolve(options.out)
  checkOutputPath(out, { kind: 'file', force: options.force })
  let temporary = options.db ? null : mkdtempSync(join(tmpdir(), 'coilscope-'))
  const dbPath = options.db ? resolve(options.db) : join(temporary!, 'inspect.db')
  const store = openDatabase(dbPath)
  const queue = new JobQueue(store)
  try {
    const tally = new InspectTally()
    queue.onImageFinished((event) => tally.add(event))
    queue.onJobProgress((job) => {
      if (job.provider) tally.markLoaded()
      if (job.state === 'running' && job.progress.total > 0) progress.update(job.progress)
    })
    const inspector = options.gateOverride ? { gateOverride: readGateOverride(options.gateOverride) } : undefined
    const { id } = queue.enqueue({ folder, modelsDir: resolve(options.models), provider: options.provider, threads: options.threads, inspector })
    await queue.idle()
    const job = queue.get(id)!
    // A job that fails before its run starts has a bad model set, provider or folder (exit 2);
    // one that fails later could not record its results (exit 1). Per-image errors are not failures.
    if (job.state === 'failed') {
      if (job.runId === null) throw new UsageError(job.message ?? 'the job failed')
      throw new Error(job.message ?? 'the job failed')
    }
    const csv = exportRunCsv(store, { sourceId: job.sourceId!, runId: job.runId!, format: options.format })
    await writeFileAtomic(out, csv, { overwrite: options.force }).catch((error) => {
      // The work is done and recorded: keep the database (even a temporary one) and say how to export.
      temporary = null
      const reason = error instanceof TargetExistsError ? `it ${error.reason} (pass --force to replace it)` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message)
      throw new Error(
        `cannot write ${out}: ${reason}; the results are kept in ${dbPath} — write them with ` +
          `coilscope export --db ${dbPath} --run ${job.runId} --format ${options.format} --out <file>`,
      )
    })
    const modelsDir = resolve(options.models)
    const trainedOn = (await readManifest(modelsDir)).manifest.provenance?.trainedOn ?? null
    return { ...tally.summary(job, store, { out, format: options.format, db: options.db ? resolve(options.db) : null }), trainedOn, fit: await folderFit(modelsDir, folder) }
  } finally {
    queue.close()
    store.close()
    if (temporary) rmSync(temporary, { recursive: true, force: true })
  }
}

function readGateOverride(file: string): Record<string, boolean> {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`--gate-override ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const isMap = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'boolean')
  if (!isMap) throw new UsageError(`--gate-override ${file}: expected {"<file name>": true | false, …}`)
  return value as Record<string, boolean>
}

function openDatabase(path: string): Store {
  try {
    return openStore(path)
  } catch (error) {
    const problem = folderProblem(dirname(path))
    const message = error instanceof StoreOpenError ? error.message : `cannot open database ${path}: ${(error as Error).message}`
    throw new UsageError(problem ? `${message} (${problem})` : message)
  }
}

/** Why a folder cannot take a database file, if it cannot. */
function folderProblem(folder: string): string | null {
  try {
    accessSync(folder, constants.W_OK)
    return null
  } catch (error) {
    return `${folder} is not writable: ${(error as NodeJS.ErrnoException).code}`
  }
}
