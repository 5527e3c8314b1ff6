// Reads and writes Severstal's two CSV forms:
//   kaggle2019: `ImageId_ClassId,EncodedPixels`, four rows per image (`<image>_<class>`), '' = empty;
//   kaggle:     `ImageId,ClassId,EncodedPixels`, non-empty masks only.
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { rleProblem } from './rle.ts'

export type SeverstalFormat = 'kaggle2019' | 'kaggle'
export const SEVERSTAL_FORMATS: readonly SeverstalFormat[] = ['kaggle2019', 'kaggle']

/** One (image, class) mask. */
export interface MaskRow {
  readonly imageId: string
  readonly classId: number
  readonly rle: string
}

export interface SeverstalTable {
  readonly format: SeverstalFormat
  /** Every image the file names, in first-seen order (kaggle2019 names defect-free images too). */
  readonly imageIds: readonly string[]
  /** Non-empty masks only. */
  readonly masks: readonly MaskRow[]
}

const HEADERS: Record<SeverstalFormat, string[]> = {
  kaggle2019: ['ImageId_ClassId', 'EncodedPixels'],
  kaggle: ['ImageId', 'ClassId', 'EncodedPixels'],
}

export interface ParseOptions {
  /** Check every mask as an RLE of an image of this size (e.g. 256×1600 for Severstal). */
  readonly imageSize?: { readonly height: number; readonly width: number }
}

/**
 * Parses either form, recognised by its header. `source` names the file in error messages, which
 * say `source:line: what is wrong`. A row naming the same (image, class) twice is an error.
 */
export function parseSeverstalCsv(text: string, source: string, options: ParseOptions = {}): SeverstalTable {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    // The typings do not know that `info: true` gives { record, info } per row.
    records = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof records
  } catch (error) {
    throw new Error(`${source}: not a readable CSV (${(error as Error).message})`)
  }
  if (records.length === 0) throw new Error(`${source}: empty file, expected a Severstal CSV header`)
  const header = records[0].record.join(',')
  const format = SEVERSTAL_FORMATS.find((f) => HEADERS[f].join(',') === header)
  if (!format) {
    throw new Error(
      `${source}: unknown header "${header}", expected "${HEADERS.kaggle2019.join(',')}" or "${HEADERS.kaggle.join(',')}"`,
    )
  }
  const imageIds = new Set<string>()
  const masks: MaskRow[] = []
  const firstLine = new Map<string, number>()
  for (const { record, info } of records.slice(1)) {
    const line = info.lines
    let imageId: string
    let classText: string
    let rle: string
    if (format === 'kaggle2019') {
      const cut = record[0].lastIndexOf('_')
      if (cut <= 0) throw new Error(`${source}:${line}: "${record[0]}" is not <ImageId>_<ClassId>`)
      imageId = record[0].slice(0, cut)
      classText = record[0].slice(cut + 1)
      rle = record[1]
    } else {
      ;[imageId, classText, rle] = record
    }
    const classId = Number(classText)
    if (!/^\d+$/.test(classText) || classId < 1) {
      throw new Error(`${source}:${line}: class "${classText}" is not a positive integer`)
    }
    const key = `${imageId}\n${classId}`
    const seen = firstLine.get(key)
    if (seen !== undefined) throw new Error(`${source}:${line}: image ${imageId} class ${classId} again (first on line ${seen})`)
    firstLine.set(key, line)
    if (options.imageSize && rle !== '') {
      const problem = rleProblem(rle, options.imageSize.height, options.imageSize.width)
      if (problem) throw new Error(`${source}:${line}: image ${imageId} class ${classId}: ${problem}`)
    }
    imageIds.add(imageId)
    if (rle !== '') masks.push({ imageId, classId, rle })
  }
  return { format, imageIds: [...imageIds], masks }
}

/**
 * Writes masks in the chosen form. kaggle2019 writes one row per (image, class) for every image in
 * `imageIds` and every class in `classIds`; kaggle writes the non-empty masks only. Rows follow the
 * order of `imageIds`, then class id.
 */
export function formatSeverstalCsv(
  format: SeverstalFormat,
  imageIds: readonly string[],
  classIds: readonly number[],
  masks: readonly MaskRow[],
): string {
  const byKey = new Map(masks.filter((m) => m.rle !== '').map((m) => [`${m.imageId}\n${m.classId}`, m.rle]))
  const sortedClasses = [...classIds].sort((a, b) => a - b)
  const rows = imageIds.flatMap((imageId) => severstalImageRows(format, imageId, sortedClasses, (classId) => byKey.get(`${imageId}\n${classId}`) ?? ''))
  return stringify(rows, { header: true, columns: HEADERS[format], record_delimiter: 'unix' })
}

/** The CSV's header line alone. */
export function severstalHeader(format: SeverstalFormat): string {
  return stringify([], { header: true, columns: HEADERS[format], record_delimiter: 'unix' })
}

/** Rows without the header, for a file written a piece at a time. */
export function severstalRowsText(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { record_delimiter: 'unix' })
}

/** One image's rows, classes in the given (ascending) order; `rleOf` gives '' for an empty mask. */
export function severstalImageRows(format: SeverstalFormat, imageId: string, sortedClassIds: readonly number[], rleOf: (classId: number) => string): string[][] {
  const rows: string[][] = []
  for (const classId of sortedClassIds) {
    const rle = rleOf(classId)
    if (format === 'kaggle2019') rows.push([`${imageId}_${classId}`, rle])
    else if (rle !== '') rows.push([imageId, String(classId), rle])
  }
  return rows
}
