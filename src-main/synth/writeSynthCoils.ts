// Synthetic coils: `coils` subfolders of `imagesPerCoil` images each, every subfolder a complete
// synthetic set with its own truth.csv, plus a top-level coils.csv (file, coil, seq) in the form a
// line system exports. Image k of the run is the same whatever it is generated with, so coil c holds
// images startIndex + c·imagesPerCoil …; within a coil, seq follows file-name order, which is the
// order the subfolder grouping reads (compareNames), so truth positions follow from the geometry alone.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { compareNames } from '../../src-shared/coilGrouping.ts'
import { writeFileAtomic } from '../export/atomicWrite.ts'
import { writeSynthFolder, type SynthFolderOptions, type SynthSummary } from './writeSynthFolder.ts'

export const COILS_CSV = 'coils.csv'

export interface SynthCoilsOptions extends Omit<SynthFolderOptions, 'count'> {
  readonly coils: number
  readonly imagesPerCoil: number
}

export interface SynthCoilsSummary {
  readonly dir: string
  readonly coilsCsv: string
  readonly coils: readonly (SynthSummary & { readonly name: string })[]
}

/** The subfolder name of coil `c` (0-based) in a run of `count` coils: C01, C02, … */
export function synthCoilName(c: number, count: number): string {
  return `C${String(c + 1).padStart(Math.max(2, String(count).length), '0')}`
}

export async function writeSynthCoils(dir: string, options: SynthCoilsOptions): Promise<SynthCoilsSummary> {
  const { coils: count, imagesPerCoil, onProgress, ...rest } = options
  const startIndex = options.startIndex ?? 0
  const written: (SynthSummary & { name: string })[] = []
  const rows: [string, string, number][] = []
  for (let c = 0; c < count; c++) {
    const name = synthCoilName(c, count)
    const summary = await writeSynthFolder(join(dir, name), {
      ...rest,
      count: imagesPerCoil,
      startIndex: startIndex + c * imagesPerCoil,
      onProgress: onProgress && ((done) => onProgress(c * imagesPerCoil + done, count * imagesPerCoil)),
    })
    written.push({ ...summary, name })
    const images = (await readdir(join(dir, name))).filter((f) => f.endsWith('.jpg')).sort(compareNames)
    images.forEach((file, seq) => rows.push([`${name}/${file}`, name, seq]))
  }
  const coilsCsv = join(dir, COILS_CSV)
  await writeFileAtomic(coilsCsv, stringify(rows, { header: true, columns: ['file', 'coil', 'seq'], record_delimiter: 'unix' }))
  return { dir, coilsCsv, coils: written }
}
