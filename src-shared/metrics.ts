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
    const tally = new ClassTally(classId)
    for (const imageId of imageIds) {
      const key = `${imageId}\n${classId}`
      const t = truthRle.get(key) ?? ''
      const p = predRle.get(key) ?? ''
      tally.add(diceOfRle(t, p), t !== '', p !== '')
    }
    total += tally.diceSum
    return tally.score()
  })
  const pairs = imageIds.length * classIds.length
  return { meanDice: pairs === 0 ? 1 : total / pairs, images: imageIds.length, pairs, perClass }
}

/** Accumulates one class's pairs into its ClassScore (shared with the live threshold metrics). */
export class ClassTally {
  diceSum = 0
  readonly #classId: number
  #images = 0
  #defectDice = 0
  #defects = 0
  #detected = 0
  #empties = 0
  #falsePositives = 0

  constructor(classId: number) {
    this.#classId = classId
  }

  add(dice: number, hasTruth: boolean, hasPrediction: boolean): void {
    this.#images++
    this.diceSum += dice
    if (hasTruth) {
      this.#defects++
      this.#defectDice += dice
      if (hasPrediction) this.#detected++
    } else {
      this.#empties++
      if (hasPrediction) this.#falsePositives++
    }
  }

  score(): ClassScore {
    const ratio = (n: number, d: number) => (d === 0 ? null : n / d)
    return {
      classId: this.#classId,
      meanDice: this.#images === 0 ? 1 : this.diceSum / this.#images,
      diceOnDefects: ratio(this.#defectDice, this.#defects),
      defectImages: this.#defects,
      detectionRecall: ratio(this.#detected, this.#defects),
      emptyImages: this.#empties,
      falsePositiveRate: ratio(this.#falsePositives, this.#empties),
    }
  }
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
