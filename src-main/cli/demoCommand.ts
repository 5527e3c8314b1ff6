// `coilscope demo`: the main job on the bundled defaults, for a new user — generate a sample folder
// of synthetic coils (once), inspect it with models/default, and score the result against its truth.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { scoreMasks } from '../../src-shared/metrics.ts'
import { parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'
import { writeSynthFolder } from '../synth/index.ts'
import type { CommandResult } from './index.ts'
import { inspectFolder } from './inspectCommand.ts'
import { formatInspectSummary } from './inspectSummary.ts'
import { DEFAULT_MODELS_DIR, positiveInteger } from './options.ts'
import { formatScore } from './scoreCommand.ts'

export function registerDemo(program: Command, result: CommandResult): void {
  program
    .command('demo')
    .description('generate a sample folder (once), inspect it with the default model set and score it against its truth')
    .option('--dir <folder>', 'sample folder', 'samples/demo')
    .option('--count <n>', 'images to generate when the folder is new', positiveInteger, 100)
    .option('--seed <s>', 'generator seed (never one used to train models/default)', positiveInteger, 4242)
    .option('--models <dir>', 'model set folder', DEFAULT_MODELS_DIR)
    .action(async (options: { dir: string; count: number; seed: number; models: string }) => {
      const folder = resolve(options.dir)
      const truthFile = join(folder, 'truth.csv')
      if (!existsSync(truthFile)) {
        process.stderr.write(`Generating ${options.count} synthetic coils in ${folder} …\n`)
        await writeSynthFolder(folder, { count: options.count, seed: options.seed })
      }
      // Results sit beside the folder, so that the folder holds only the images and their truth.
      const out = `${folder}-submission.csv`
      const summary = await inspectFolder(folder, { models: options.models, out, format: 'kaggle2019', provider: 'auto', db: `${folder}.db`, force: true })
      process.stderr.write(formatInspectSummary(summary))
      const predicted = parseSeverstalCsv(readFileSync(out, 'utf8'), out)
      const truth = parseSeverstalCsv(readFileSync(truthFile, 'utf8'), truthFile)
      const imageIds = [...new Set([...predicted.imageIds, ...truth.imageIds])]
      process.stdout.write(`\n${formatScore(scoreMasks(imageIds, [1, 2, 3, 4], truth.masks, predicted.masks))}`)
      process.stdout.write(`\n${summary.imagesPerSecond.toFixed(2)} images/s on ${summary.provider}${summary.providerFallback ? ` (${summary.providerFallback})` : ''}\n`)
      result.exitCode = summary.errors.length > 0 ? 3 : 0
    })
}
