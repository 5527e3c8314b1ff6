// Brings a source's coils up to date with its images and settings: groups the inspected images,
// places each from the coil's head by the geometry, and stores the result. Files the grouping
// cannot place (and images with no size yet) come back as problems, one per file.
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { imageExtentMm, imagePositionsMm } from '../../src-shared/coilGeometry.ts'
import { groupIntoCoils, type CoilMappingRow, type GroupingProblem } from '../../src-shared/coilGrouping.ts'
import { parseCoilMapping } from '../../src-shared/coilMappingCsv.ts'
import type { CoilInput, CoilRecord, ImageRecord, SourceRecord, Store } from '../store/index.ts'
import { resolveCoilSettings, singleCoilName } from './coilSettings.ts'

export interface AssignResult {
  readonly coils: readonly CoilRecord[]
  readonly problems: readonly GroupingProblem[]
}

export async function assignCoils(store: Store, source: SourceRecord): Promise<AssignResult> {
  const all = store.images.listBySource(source.id)
  const sized = all.filter((i) => i.status === 'done' && i.width !== null && i.height !== null)
  const sizedIds = new Set(sized.map((i) => i.id))
  const unsized = all.filter((i) => !sizedIds.has(i.id))
  const problems: GroupingProblem[] = unsized
    .map((i) => ({ file: i.relativePath, problem: `not placed on a coil: the image is ${i.status}${i.error ? ` (${i.error})` : ''}` }))
  const settings = resolveCoilSettings(store, source, all.map((i) => i.relativePath))
  let mapping: CoilMappingRow[] | undefined
  if (settings.grouping.kind === 'csv') {
    const read = await readMapping(settings.grouping.csvPath, source)
    // Rows naming an image without a size are already reported above.
    const unsizedPaths = new Set(unsized.map((i) => i.relativePath))
    mapping = read.rows.filter((r) => !unsizedPaths.has(r.file))
    problems.push(...read.problems)
  }
  const grouped = groupIntoCoils(sized.map((i) => i.relativePath), settings.grouping, { singleName: singleCoilName(source), mapping })
  problems.push(...grouped.problems)
  const byPath = new Map<string, ImageRecord>(sized.map((i) => [i.relativePath, i]))
  const coils: CoilInput[] = grouped.coils.map((coil) => {
    const images = coil.files.map((f) => byPath.get(f)!)
    const sizes = images.map((i) => ({ width: i.width!, height: i.height! }))
    const { positionsMm, lengthMm } = imagePositionsMm(sizes, settings.geometry)
    const widthMm = Math.max(0, ...sizes.map((s) => imageExtentMm(s, settings.geometry).acrossMm))
    return { name: coil.name, lengthMm, widthMm, images: images.map((i, k) => ({ imageId: i.id, positionMm: positionsMm[k] })) }
  })
  return { coils: store.coils.replace(source.id, coils), problems }
}

/** Where a CSV grouping's mapping file is: its path as set, from the source folder unless absolute. */
export function mappingFilePath(csvPath: string, source: SourceRecord): string {
  return isAbsolute(csvPath) ? csvPath : join(source.folderPath, csvPath)
}

async function readMapping(csvPath: string, source: SourceRecord): Promise<{ rows: CoilMappingRow[]; problems: GroupingProblem[] }> {
  const path = mappingFilePath(csvPath, source)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    return { rows: [], problems: [{ file: path, problem: `the coil CSV cannot be read: ${(error as Error).message}` }] }
  }
  return parseCoilMapping(text, path)
}
