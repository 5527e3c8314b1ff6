// Ground truth for a source: `truth.csv` beside the images (either Severstal form).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseSeverstalCsv, type MaskRow } from '../../src-shared/severstalCsv.ts'

export const TRUTH_FILE = 'truth.csv'

/** Truth masks by image id (file name), or null when the folder has no truth file. */
export function readTruth(folder: string): Map<string, MaskRow[]> | null {
  const file = join(folder, TRUTH_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  const byImage = new Map<string, MaskRow[]>()
  for (const row of parseSeverstalCsv(text, file).masks) byImage.set(row.imageId, [...(byImage.get(row.imageId) ?? []), row])
  return byImage
}
