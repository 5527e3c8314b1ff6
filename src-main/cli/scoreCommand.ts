// `coilscope score <predictions.csv> <truth.csv>`: Kaggle mean Dice with per-class breakdowns.
import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { scoreMasks, type Score } from '../../src-shared/metrics.ts'
import { parseSeverstalCsv, type SeverstalTable } from '../../src-shared/severstalCsv.ts'
import type { CommandResult } from './commandResult.ts'
import { positiveInteger } from './options.ts'
import { UsageError } from './usageError.ts'

export function registerScore(program: Command, result: CommandResult): void {
  program
    .command('score')
    .description('score predictions against truth with Kaggle\'s mean Dice (either Severstal CSV form for either file)')
    .argument('<predictions>', 'predicted masks CSV')
    .argument('<truth>', 'ground-truth masks CSV')
    .option('--json', 'print the score as JSON on stdout', false)
    .option('--height <px>', 'image height every mask is checked against', positiveInteger, 256)
    .option('--width <px>', 'image width every mask is checked against', positiveInteger, 1600)
    .action(async (predictionsFile: string, truthFile: string, options: { json: boolean; height: number; width: number }) => {
      const imageSize = { height: options.height, width: options.width }
      const [predicted, truth] = await Promise.all([readTable(predictionsFile, imageSize), readTable(truthFile, imageSize)])
      // Every class of every image named in either file is a pair (current-form files omit
      // defect-free images, so the union is the best view of the image set).
      const imageIds = [...new Set([...truth.imageIds, ...predicted.imageIds])]
      const classIds = [...new Set([1, 2, 3, 4, ...truth.masks.map((m) => m.classId), ...predicted.masks.map((m) => m.classId)])].sort((a, b) => a - b)
      const score = scoreMasks(imageIds, classIds, truth.masks, predicted.masks)
      process.stdout.write(options.json ? `${JSON.stringify(score, null, 2)}\n` : formatScore(score))
      result.exitCode = 0
    })
}

async function readTable(file: string, imageSize: { height: number; width: number }): Promise<SeverstalTable> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  try {
    return parseSeverstalCsv(text, file, { imageSize })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

export function formatScore(score: Score): string {
  return `Mean Dice ${score.meanDice.toFixed(4)} over ${score.pairs} (image, class) pairs, ${score.images} images\n${formatClassScores(score)}`
}

/** The per-class table: a header line, then one line per class. */
export function formatClassScores(score: Score): string {
  const pct = (v: number | null) => (v === null ? '   n/a' : `${(v * 100).toFixed(1).padStart(5)}%`)
  const lines = ['class  mean Dice  Dice on defects  defects  detected  false-positive rate  empty']
  for (const c of score.perClass) {
    lines.push(
      `${String(c.classId).padStart(5)}  ${c.meanDice.toFixed(4).padStart(9)}  ${c.diceOnDefects === null ? '            n/a' : c.diceOnDefects.toFixed(4).padStart(15)}` +
        `  ${String(c.defectImages).padStart(7)}  ${pct(c.detectionRecall).padStart(8)}  ${pct(c.falsePositiveRate).padStart(19)}  ${String(c.emptyImages).padStart(5)}`,
    )
  }
  return `${lines.join('\n')}\n`
}
