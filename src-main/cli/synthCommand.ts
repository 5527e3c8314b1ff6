// `coilscope synth <dir>`: writes synthetic Severstal-like coil images and their truth.csv.
import { resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import { MAX_COIL_INDEX, MAX_SEED, TruthFileError, writeSynthCoils, writeSynthFolder, type SynthCoilsSummary, type SynthSummary } from '../synth/index.ts'
import type { CommandResult } from './commandResult.ts'
import { isDirectory, positiveInteger } from './options.ts'
import { ProgressReporter } from './progress.ts'
import { UsageError } from './usageError.ts'

interface SynthOptions {
  count?: number
  coils?: number
  imagesPerCoil?: number
  seed: number
  defectRate: number
  startIndex: number
  quality: number
  json: boolean
}

export function registerSynth(program: Command, result: CommandResult): void {
  program
    .command('synth')
    .description('write synthetic Severstal-like coil images (1600×256 JPEG) and their exact masks as truth.csv')
    .argument('<dir>', 'folder to write (created if absent; an existing truth.csv there is extended)')
    .option('--count <n>', 'number of images (or --coils with --images-per-coil)', positiveInteger)
    .option('--coils <n>', 'write n coil subfolders (C01, C02, …), each with its truth.csv, and coils.csv', positiveInteger)
    .option('--images-per-coil <m>', 'images in each coil subfolder (with --coils)', positiveInteger)
    .requiredOption('--seed <s>', `seed, an integer in [0, ${MAX_SEED}]`, integerIn(0, MAX_SEED))
    .option('--defect-rate <r>', 'share of images with at least one defect, 0…1', fraction, 0.5)
    .option('--start-index <k>', 'index of the first image, to extend a set', integerIn(0, MAX_COIL_INDEX), 0)
    .option('--quality <q>', 'JPEG quality, 1…100', integerIn(1, 100), 90)
    .option('--json', 'print the summary as JSON on stdout', false)
    .action(async (dir: string, options: SynthOptions) => {
      const folder = resolve(dir)
      if (existsSync(folder) && !isDirectory(folder)) throw new UsageError(`${folder}: exists and is not a folder`)
      const count = imageCount(options)
      if (options.startIndex + count - 1 > MAX_COIL_INDEX) {
        throw new UsageError(`--start-index + the image count runs past the last index, ${MAX_COIL_INDEX}`)
      }
      const progress = new ProgressReporter()
      if (options.coils !== undefined) {
        const coils = await writeSynthCoils(folder, {
          ...options, coils: options.coils, imagesPerCoil: options.imagesPerCoil!,
          onProgress: (done, total) => progress.update({ done, total, errors: 0 }),
        }).catch((error) => {
          throw error instanceof TruthFileError ? new UsageError(error.message) : error
        })
        if (options.json) process.stdout.write(`${JSON.stringify(coils, null, 2)}\n`)
        process.stderr.write(formatCoilsSummary(coils))
        result.exitCode = 0
        return
      }
      let summary: SynthSummary
      try {
        summary = await writeSynthFolder(folder, {
          ...options,
          count,
          onProgress: (done, total) => progress.update({ done, total, errors: 0 }),
        })
      } catch (error) {
        if (error instanceof TruthFileError) throw new UsageError(error.message)
        throw error
      }
      if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
      process.stderr.write(formatSynthSummary(summary))
      result.exitCode = 0
    })
}

export function formatSynthSummary(s: SynthSummary): string {
  const perClass = Object.entries(s.imagesPerClass).map(([c, n]) => `${c}: ${n}`).join(', ')
  return (
    `wrote ${s.count} images to ${s.dir} (seed ${s.seed}, indices ${s.startIndex}…${s.startIndex + s.count - 1}), ` +
    `${s.defective} with defects (images per class ${perClass}); truth in ${s.truthCsv}\n` +
    `${s.imagesPerSecond.toFixed(1)} images/s (${s.seconds.toFixed(2)} s)\n`
  )
}

/** --count alone, or --coils with --images-per-coil. */
function imageCount(o: SynthOptions): number {
  const coilForm = o.coils !== undefined || o.imagesPerCoil !== undefined
  if (coilForm && o.count !== undefined) throw new UsageError('give either --count or --coils with --images-per-coil, not both')
  if (!coilForm && o.count === undefined) throw new UsageError('give --count <n>, or --coils <n> with --images-per-coil <m>')
  if (coilForm && (o.coils === undefined || o.imagesPerCoil === undefined)) throw new UsageError('--coils and --images-per-coil go together')
  return o.count ?? o.coils! * o.imagesPerCoil!
}

export function formatCoilsSummary(s: SynthCoilsSummary): string {
  const coils = s.coils.map((c) => `${c.name}: ${c.count} images, ${c.defective} with defects`).join('; ')
  return `wrote ${s.coils.length} coils to ${s.dir} (${coils}); truth in each coil's truth.csv, order in ${s.coilsCsv}\n`
}

function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}]`)
    return n
  }
}

function fraction(value: string): number {
  const r = Number(value)
  if (value.trim() === '' || !(r >= 0 && r <= 1)) throw new InvalidArgumentError('expected a number in [0, 1]')
  return r
}
