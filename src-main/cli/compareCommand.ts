// `coilscope compare --db <file> --a <run|set[:profile]> --b <…>`: how two runs, two model sets or
// two threshold profiles differ on the same images — per class, against the truth with bootstrap
// intervals, image by image — as text, JSON, or a report (HTML or PDF, printed like `report`).
// A model set that has not run on the source is run first (--no-run refuses instead).
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { buildCompareHtml } from '../compare/compareHtml.ts'
import { renderGallery } from '../compare/compareGallery.ts'
import { formatCompareText } from '../compare/compareText.ts'
import { compareSides, DEFAULT_RESAMPLES, DEFAULT_SEED, resolveSide, TRUTH_CHOICES, type TruthChoice } from '../compare/index.ts'
import { TargetExistsError, writeFileAtomic } from '../export/index.ts'
import { JobQueue } from '../queue/index.ts'
import { PdfPrintError, printHtmlToPdf, reportFormatOf } from '../report/index.ts'
import type { SourceRecord, Store } from '../store/index.ts'
import type { CommandResult } from './commandResult.ts'
import { choice, MODELS_ROOT, positiveInteger } from './options.ts'
import { checkOutputPath } from './outputCheck.ts'
import { openExisting, pickSource } from './recordedRuns.ts'
import { UsageError } from './usageError.ts'

interface CompareCommandOptions {
  db: string
  a: string
  b: string
  source?: string
  truth: TruthChoice
  seed: number
  resamples: number
  json: boolean
  out?: string
  force: boolean
  galleryCount: number
  models?: string
  run: boolean
  threads?: number
}

const integer = (value: string) => {
  if (!/^\d+$/.test(value)) throw new UsageError(`${value}: expected a whole number`)
  return Number(value)
}

export function registerCompare(program: Command, result: CommandResult): void {
  program
    .command('compare')
    .description('compare two runs, model sets or threshold profiles on the same images (per class, against the truth, image by image)')
    .requiredOption('--db <file>', 'database written by `coilscope inspect --db` or the app')
    .requiredOption('--a <side>', 'side A: a run id or a model set (folder, or name under --models), each optionally :profile (name or name@version)')
    .requiredOption('--b <side>', 'side B, as --a')
    .option('--source <folder>', 'source folder (default: the run\'s, or the only one in the database)')
    .option('--truth <which>', `${TRUTH_CHOICES.join(' | ')}: truth.csv beside the images, the images reviewers accepted, or none (auto: truth.csv, else accepted reviews)`, choice(TRUTH_CHOICES), 'auto')
    .option('--seed <n>', 'seed of the bootstrap', integer, DEFAULT_SEED)
    .option('--resamples <n>', 'bootstrap resamples', positiveInteger, DEFAULT_RESAMPLES)
    .option('--json', 'print the comparison as JSON', false)
    .option('--out <file>', 'also write the comparison report: report.html, or report.pdf (printed by headless Chromium)')
    .option('--force', 'replace the report file if it exists', false)
    .option('--gallery-count <n>', 'most-disagreeing images drawn in the report', positiveInteger, 12)
    .option('--models <dir>', 'where model sets named by name are looked for (default: the bundled models folder)')
    .option('--no-run', 'do not run a model set that has not run on the source; say how instead')
    .option('--threads <n>', 'threads per model session when a set is run', positiveInteger)
    .action(async (options: CompareCommandOptions) => {
      const out = options.out === undefined ? null : resolve(options.out)
      const format = out ? reportFormatOf(out) : null
      if (out && !format) throw new UsageError(`${out}: the comparison report is written as .pdf or .html`)
      if (out) checkOutputPath(out, { kind: 'file', force: options.force })
      const store = openExisting(options.db)
      try {
        const source = options.source !== undefined || !/^\d+(:|$)/.test(options.a) ? pickSource(store, options.source) : null
        const modelRoots = [...(options.models ? [resolve(options.models)] : []), MODELS_ROOT]
        const runSet = options.run ? (dir: string, on: SourceRecord) => runModelSet(store, dir, on, options.threads) : undefined
        const compared = await compareSides(store, { a: options.a, b: options.b, source, truth: options.truth, seed: options.seed, resamples: options.resamples, modelRoots, runSet }).catch((error) => {
          throw error instanceof UsageError ? error : new UsageError((error as Error).message)
        })
        process.stdout.write(options.json ? `${JSON.stringify(compared, null, 2)}\n` : formatCompareText(compared))
        if (out) {
          const on = store.sources.get(compared.source.id)!
          const context = { source: on, modelRoots }
          const [a, b] = [await resolveSide(store, compared.a.spec, context), await resolveSide(store, compared.b.spec, context)]
          const gallery = await renderGallery(store, on, a, b, compared.comparison.ranking, options.galleryCount)
          const html = buildCompareHtml(compared, gallery, new Date())
          const footer = `Coilscope comparison · ${on.folderPath} · run #${a.run.id} vs run #${b.run.id}`
          const bytes = format === 'pdf' ? await printHtmlToPdf(html, { footer }).catch((error) => {
            throw error instanceof PdfPrintError ? new UsageError(error.message) : error
          }) : Buffer.from(html, 'utf8')
          await writeFileAtomic(out, bytes, { overwrite: options.force }).catch((error) => {
            throw new Error(`cannot write ${out}: ${error instanceof TargetExistsError ? `it ${error.reason} (pass --force to replace it)` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message)}`)
          })
          process.stderr.write(`wrote ${out} (${format}, ${Math.round(bytes.length / 1024)} KiB)\n`)
        }
        result.exitCode = 0
      } finally {
        store.close()
      }
    })
}

/** Runs a model set over the source through the queue, as `inspect` does; returns its run. */
async function runModelSet(store: Store, modelsDir: string, source: SourceRecord, threads: number | undefined): Promise<number> {
  process.stderr.write(`running ${modelsDir} over ${source.folderPath} (it has not run there yet)…\n`)
  const queue = new JobQueue(store)
  try {
    const { id } = queue.enqueue({ folder: source.folderPath, modelsDir, provider: 'cpu', threads })
    await queue.idle()
    const job = queue.get(id)!
    if (job.state !== 'done' || job.runId === null) throw new UsageError(`running ${modelsDir} failed: ${job.message ?? job.state}`)
    return job.runId
  } finally {
    queue.close()
  }
}
