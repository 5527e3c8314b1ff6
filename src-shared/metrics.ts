// Kaggle's Severstal metric: mean Dice over every (image, class) pair, 1 when both are empty.
// Beside it, per class: Dice on non-empty truths, detection recall and the false-positive rate on
// empty truths — 86 % of Severstal pairs are empty, so the mean alone hides a model that finds nothing.
// Works on RLE strings directly (sorted runs), so no image size is needed.
import type { MaskRow } from './severstalCsv.ts'

export interface ClassScore {
  readonly classId: number
  /** Mean Dice over every image for this class. */
  readonly meanDice: number
  /** Mean Dice over images whose truth is non-empty (null when there are none). */
  readonly diceOnDefects: number | null
  readonly defectImages: number
  /** Fraction of non-empty truths with a non-empty prediction (null when there are none). */
  readonly detectionRecall: number | null
  readonly emptyImages: number
  /** Fraction of empty truths with a non-empty prediction (null when there are none). */
  readonly falsePositiveRate: number | null
}

export interface Score {
  readonly meanDice: number
  readonly images: number
  readonly pairs: number
  readonly perClass: readonly ClassScore[]
}

type Runs = Int32Array // flattened [start0, end0, start1, end1, …], 0-based, end exclusive

/** Dice of two RLE strings; 1 when both are empty. */
export function diceOfRle(a: string, b: string): number {
  const ra = toRuns(a)
  const rb = toRuns(b)
  const sizeA = runsArea(ra)
  const sizeB = runsArea(rb)
  if (sizeA + sizeB === 0) return 1
  return (2 * intersectRuns(ra, rb)) / (sizeA + sizeB)
}

/** Scores predictions against truth over every class of every listed image. */
export function scoreMasks(
  imageIds: readonly string[],
  classIds: readonly number[],
  truth: readonly MaskRow[],
  predicted: readonly MaskRow[],
): Score {
  const truthRle = indexRows(truth)
  const predRle = indexRows(predicted)
  let total = 0
  const perClass = classIds.map((classId) => {
    let diceSum = 0
    let defectDiceSum = 0
    let defectImages = 0
    let detected = 0
    let emptyImages = 0
    let falsePositives = 0
    for (const imageId of imageIds) {
      const key = `${imageId}\n${classId}`
      const t = truthRle.get(key) ?? ''
      const p = predRle.get(key) ?? ''
      const dice = diceOfRle(t, p)
      diceSum += dice
      if (t !== '') {
        defectImages++
        defectDiceSum += dice
        if (p !== '') detected++
      } else {
        emptyImages++
        if (p !== '') falsePositives++
      }
    }
    total += diceSum
    const ratio = (n: number, d: number) => (d === 0 ? null : n / d)
    return {
      classId,
      meanDice: imageIds.length === 0 ? 1 : diceSum / imageIds.length,
      diceOnDefects: ratio(defectDiceSum, defectImages),
      defectImages,
      detectionRecall: ratio(detected, defectImages),
      emptyImages,
      falsePositiveRate: ratio(falsePositives, emptyImages),
    }
  })
  const pairs = imageIds.length * classIds.length
  return { meanDice: pairs === 0 ? 1 : total / pairs, images: imageIds.length, pairs, perClass }
}

function indexRows(rows: readonly MaskRow[]): Map<string, string> {
  return new Map(rows.filter((r) => r.rle.trim() !== '').map((r) => [`${r.imageId}\n${r.classId}`, r.rle]))
}

function toRuns(rle: string): Runs {
  const text = rle.trim()
  if (text === '') return new Int32Array(0)
  const values = text.split(/\s+/).map(Number)
  const runs = new Int32Array(values.length)
  for (let k = 0; k < values.length; k += 2) {
    runs[k] = values[k] - 1
    runs[k + 1] = values[k] - 1 + values[k + 1]
  }
  return runs
}

function runsArea(runs: Runs): number {
  let area = 0
  for (let k = 0; k < runs.length; k += 2) area += runs[k + 1] - runs[k]
  return area
}

function intersectRuns(a: Runs, b: Runs): number {
  let i = 0
  let j = 0
  let overlap = 0
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i], b[j])
    const end = Math.min(a[i + 1], b[j + 1])
    if (end > start) overlap += end - start
    if (a[i + 1] < b[j + 1]) i += 2
    else j += 2
  }
  return overlap
}
