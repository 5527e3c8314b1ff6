// `coilscope models quantize <set> --calibrate <folder> --out <new set> [--holdout <folder>]`:
// writes an int8 copy of a float model set (see quantize/quantizeSet.ts).
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { ModelSetError } from '../inference/manifestFile.ts'
import { describeQuantization } from '../../src-shared/quantizationText.ts'
import { DEFAULT_MAX_WEIGHT_ERROR, QuantizeError } from '../quantize/qdqGraph.ts'
import { quantizeSet } from '../quantize/quantizeSet.ts'
import type { CommandResult } from './commandResult.ts'
import { isDirectory, positiveInteger } from './options.ts'
import { UsageError } from './usageError.ts'

interface QuantizeOptions {
  calibrate: string
  out: string
  holdout?: string
  id?: string
  limit: number
  holdoutLimit: number
  weightBits: string
  maxWeightError: number
  tolerance: number
  threads?: number
  json: boolean
}

export function registerQuantize(models: Command, result: CommandResult, findSet: (name: string) => Promise<string>): void {
  models
    .command('quantize')
    .description('write an int8 copy of a model set: calibrated on images, checked member by member, with its parity against the float set')
    .argument('<set>', 'the float model set: its folder, or its id or folder name under models/')
    .requiredOption('--calibrate <folder>', 'images to calibrate the activation ranges on (like the ones the set will see)')
    .requiredOption('--out <folder>', 'the new set\'s folder (must not exist)')
    .option('--holdout <folder>', 'other images (with truth.csv for Dice against truth) to measure parity on')
    .option('--id <id>', 'the new set\'s id (default: <id>-int8)')
    .option('--limit <n>', 'calibration images used, the first by name', positiveInteger, 64)
    .option('--holdout-limit <n>', 'held-out images used, the first by name', positiveInteger, 300)
    .option('--weight-bits <bits>', '7 keeps weights in [-64, 63], exact on CPUs without VNNI; 8 for VNNI-only machines', '7')
    .option('--max-weight-error <x>', 'a layer whose weights lose more than this (relative) stays fp32', fraction, DEFAULT_MAX_WEIGHT_ERROR)
    .option('--tolerance <x>', 'a member whose probabilities move more than this on average stays fp32', fraction, 0.01)
    .option('--threads <n>', 'onnxruntime threads (default: all cores)', positiveInteger)
    .option('--json', 'print the quantization record as JSON', false)
    .action(async (set: string, options: QuantizeOptions, command: Command) => {
      // `models` has its own --json, which commander gives to it wherever it stands.
      const json = options.json || Boolean(command.parent?.opts().json)
      if (options.weightBits !== '7' && options.weightBits !== '8') throw new UsageError(`--weight-bits: expected 7 or 8, got ${options.weightBits}`)
      for (const [flag, dir] of [['--calibrate', options.calibrate], ['--holdout', options.holdout]] as const) {
        if (dir !== undefined && !isDirectory(resolve(dir))) throw new UsageError(`${flag} ${resolve(dir)}: no such folder`)
      }
      const log = (line: string) => process.stderr.write(`${line}\n`)
      try {
        const done = await quantizeSet({
          setDir: await findSet(set),
          calibrationDir: resolve(options.calibrate),
          outDir: resolve(options.out),
          heldOutDir: options.holdout === undefined ? undefined : resolve(options.holdout),
          id: options.id,
          limit: options.limit,
          heldOutLimit: options.holdoutLimit,
          weightBits: Number(options.weightBits) as 7 | 8,
          maxWeightError: options.maxWeightError,
          maxMeanDifference: options.tolerance,
          threads: options.threads ?? availableParallelism(),
          log,
        })
        for (const s of done.skipped) log(`skipped ${s.name}: ${s.reason}`)
        if (json) process.stdout.write(`${JSON.stringify(done.quantization, null, 2)}\n`)
        else process.stdout.write(`wrote ${done.id} to ${done.outDir}\n${describeQuantization(done.quantization).join('\n')}\n`)
      } catch (error) {
        if (error instanceof QuantizeError || error instanceof ModelSetError) throw new UsageError(error.message)
        throw error
      }
      result.exitCode = 0
    })
}

function fraction(value: string): number {
  const x = Number(value)
  if (!(x > 0 && x < 1)) throw new InvalidArgumentError('expected a number between 0 and 1')
  return x
}
