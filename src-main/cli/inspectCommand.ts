// `coilscope inspect <folder>`: runs a model set over a folder and writes the submission CSV.
import { basename, resolve } from 'node:path'
import type { Command } from 'commander'
import { SEVERSTAL_FORMATS, formatSeverstalCsv, type MaskRow, type SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import { writeFileAtomic } from '../export/atomicWrite.ts'
import { loadModelSet, ModelSetError, PROVIDER_CHOICES, ProviderError, type ProviderChoice } from '../inference/index.ts'
import { inspectFiles, Inspector, scanFolder } from '../pipeline/index.ts'
import type { CommandResult } from './index.ts'
import { choice, DEFAULT_MODELS_DIR, isDirectory, positiveInteger } from './options.ts'
import { ProgressReporter } from './progress.ts'
import { formatInspectSummary, InspectTally } from './inspectSummary.ts'
import { UsageError } from './usageError.ts'

interface InspectOptions {
  models: string
  out: string
  format: SeverstalFormat
  provider: ProviderChoice
  threads?: number
  json: boolean
}

export function registerInspect(program: Command, result: CommandResult): void {
  program
    .command('inspect')
    .description('run the model set over every image in a folder and write a Severstal submission CSV')
    .argument('<folder>', 'folder of coil images (recognised by content, not extension)')
    .option('--models <dir>', 'model set folder', DEFAULT_MODELS_DIR)
    .option('--out <csv>', 'submission CSV to write', 'submission.csv')
    .option('--format <format>', `CSV form: ${SEVERSTAL_FORMATS.join(' | ')}`, choice(SEVERSTAL_FORMATS), 'kaggle2019')
    .option('--provider <provider>', `execution provider: ${PROVIDER_CHOICES.join(' | ')}`, choice(PROVIDER_CHOICES), 'auto')
    .option('--threads <n>', 'threads per model session (default: all cores)', positiveInteger)
    .option('--json', 'print the summary as JSON on stdout', false)
    .action(async (folder: string, options: InspectOptions) => {
      result.exitCode = await inspect(resolve(folder), options)
    })
}

async function inspect(folder: string, options: InspectOptions): Promise<number> {
  if (!isDirectory(folder)) throw new UsageError(`${folder}: no such folder`)
  const set = await loadModelSet(resolve(options.models), { provider: options.provider, threads: options.threads }).catch((error) => {
    if (error instanceof ModelSetError || error instanceof ProviderError) throw new UsageError(error.message)
    throw error
  })
  try {
    if (set.provider.fallbackReason) process.stderr.write(`coilscope: running on the CPU: ${set.provider.fallbackReason}\n`)
    const entries = await scanFolder(folder)
    const images = entries.filter((e) => e.kind === 'image')
    const tally = new InspectTally(set, entries)
    const progress = new ProgressReporter()
    const masks: MaskRow[] = []
    const imageIds: string[] = []
    progress.update({ done: 0, total: images.length, errors: 0 })
    for await (const outcome of inspectFiles(new Inspector(set), images.map((e) => e.path))) {
      tally.add(outcome)
      if (outcome.ok) {
        const imageId = basename(outcome.path)
        imageIds.push(imageId)
        for (const c of outcome.inspection.classes) masks.push({ imageId, classId: c.classId, rle: c.rle })
      }
      progress.update({ done: tally.inspected, total: images.length, errors: tally.imageErrors })
    }
    const classIds = set.manifest.classes.map((c) => c.id)
    const out = resolve(options.out)
    await writeFileAtomic(out, formatSeverstalCsv(options.format, imageIds, classIds, masks))
    const summary = tally.summary({ out, format: options.format })
    if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
    else process.stderr.write(formatInspectSummary(summary))
    return summary.errors.length > 0 ? 3 : 0
  } finally {
    await set.release()
  }
}
