// `coilscope demo`: the main job on the bundled defaults, for a new user — generate a sample folder
// of synthetic coils (once), inspect it with models/default, and score the result against its truth.
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { scoreMasks } from '../../src-shared/metrics.ts'
import { parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'
import { writeSynthFolder } from '../synth/index.ts'
import type { CommandResult } from './commandResult.ts'
import { formatDemoReport } from './demoReport.ts'
import { inspectFolder } from './inspectCommand.ts'
import { DEFAULT_MODELS_DIR, positiveInteger } from './options.ts'
import { ProgressReporter } from './progress.ts'

const RENDERER_INDEX = fileURLToPath(new URL('../../out/renderer/index.html', import.meta.url))
/** Off a terminal (logs, CI) a line every 15 s keeps the demo's output on one screen. */
const PLAIN_PROGRESS_INTERVAL_MS = 15_000

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
      // Results sit beside the folder, so that the folder holds only the images and their truth.
      const out = `${folder}-submission.csv`
      const db = `${folder}.db`
      const shown = (path: string) => relative(process.cwd(), path) || '.'
      if (!existsSync(truthFile)) {
        process.stdout.write(`Generating ${options.count} synthetic coils with their true masks in ${shown(folder)}/ …\n`)
        await writeSynthFolder(folder, { count: options.count, seed: options.seed })
      }
      const progress = new ProgressReporter(process.stderr, Boolean(process.stderr.isTTY), PLAIN_PROGRESS_INTERVAL_MS)
      const summary = await inspectFolder(folder, { models: options.models, out, format: 'kaggle2019', provider: 'auto', db, force: true }, progress)
      const predicted = parseSeverstalCsv(readFileSync(out, 'utf8'), out)
      const truth = parseSeverstalCsv(readFileSync(truthFile, 'utf8'), truthFile)
      const imageIds = [...new Set([...predicted.imageIds, ...truth.imageIds])]
      const score = scoreMasks(imageIds, [1, 2, 3, 4], truth.masks, predicted.masks)
      const paths = { folder: `${shown(folder)}/`, truth: shown(truthFile), submission: shown(out), db: shown(db) }
      process.stdout.write(formatDemoReport({ summary, score, paths, isRendererBuilt: existsSync(RENDERER_INDEX) }))
      result.exitCode = summary.errors.length > 0 ? 3 : 0
    })
}
