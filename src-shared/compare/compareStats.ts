// The comparison of two sides A and B over the same images, from per-(image, class) counts:
// per class, how far A and B agree (Dice between their masks, images only one of them finds the
// class in, area ratio); with truth, each side's Kaggle scores and B − A with bootstrap intervals
// over images; per image, a disagreement score to rank the images by.
import { ClassTally, type ClassScore } from '../metrics.ts'
import { bootstrapInterval, type BootstrapOptions, type Interval } from './bootstrap.ts'
import { diceOf, type ClassPairCounts } from './maskPairCounts.ts'

export interface ImagePairCounts {
  readonly imageId: number
  readonly name: string
  /** One per class, in class order. */
  readonly classes: readonly ClassPairCounts[]
}

export interface ClassAgreement {
  readonly classId: number
  /** Images where A or B finds the class. */
  readonly imagesEither: number
  readonly imagesBoth: number
  readonly onlyA: number
  readonly onlyB: number
  /** Mean Dice between A's and B's masks over the images where either finds the class; null if none. */
  readonly meanDiceAB: number | null
  readonly areaA: number
  readonly areaB: number
  /** Total area of B over total area of A; null when A found nothing. */
  readonly areaRatio: number | null
}

export interface ClassTruthComparison {
  readonly classId: number
  readonly a: ClassScore
  readonly b: ClassScore
  /** B − A of the mean Dice over every image (Kaggle's). */
  readonly meanDiceDiff: Interval | null
  /** B − A of the Dice over images whose truth has the class. */
  readonly diceOnDefectsDiff: Interval | null
  readonly detectionDiff: Interval | null
  readonly falsePositiveDiff: Interval | null
}

export interface TruthComparison {
  /** Images with truth (only they are scored). */
  readonly images: number
  readonly perClass: readonly ClassTruthComparison[]
  /** Mean over every (image, class) pair, per side, and B − A. */
  readonly meanDiceA: number
  readonly meanDiceB: number
  readonly meanDiceDiff: Interval | null
}

export interface ImageDisagreement {
  readonly imageId: number
  readonly name: string
  /** Sum over classes of 1 − Dice(A, B): 0 when A and B agree everywhere, K at most. */
  readonly score: number
  /** Pixels set in exactly one of A and B, over all classes. */
  readonly differingPx: number
  /** The class where A and B differ most (by 1 − Dice, then pixels); null when they agree. */
  readonly worstClassId: number | null
}

export interface Comparison {
  readonly classIds: readonly number[]
  readonly images: number
  readonly agreement: readonly ClassAgreement[]
  /** Null when no compared image has truth. */
  readonly truth: TruthComparison | null
  /** Every image, most disagreeing first (ties: more differing pixels, then name). */
  readonly ranking: readonly ImageDisagreement[]
}

export function compareCounts(images: readonly ImagePairCounts[], classIds: readonly number[], bootstrap: BootstrapOptions): Comparison {
  const agreement = classIds.map((classId, c) => classAgreement(images, classId, c))
  const withTruth = images.filter((image) => image.classes.every((k) => k.truthArea !== null))
  const truth = withTruth.length === 0 ? null : compareWithTruth(withTruth, classIds, bootstrap)
  const ranking = images.map(disagreementOf(classIds)).sort((x, y) => y.score - x.score || y.differingPx - x.differingPx || x.name.localeCompare(y.name))
  return { classIds, images: images.length, agreement, truth, ranking }
}

function classAgreement(images: readonly ImagePairCounts[], classId: number, c: number): ClassAgreement {
  let imagesBoth = 0, onlyA = 0, onlyB = 0, diceSum = 0, areaA = 0, areaB = 0
  for (const image of images) {
    const k = image.classes[c]
    areaA += k.areaA
    areaB += k.areaB
    if (k.areaA === 0 && k.areaB === 0) continue
    if (k.areaA > 0 && k.areaB > 0) imagesBoth++
    else if (k.areaA > 0) onlyA++
    else onlyB++
    diceSum += diceOf(k.areaA, k.areaB, k.overlapAB)
  }
  const imagesEither = imagesBoth + onlyA + onlyB
  return { classId, imagesEither, imagesBoth, onlyA, onlyB, meanDiceAB: imagesEither === 0 ? null : diceSum / imagesEither, areaA, areaB, areaRatio: areaA === 0 ? null : areaB / areaA }
}

/** Per image and class: each side's Dice with the truth, whether the truth has the class, whether each side found it. */
interface Scored { diceA: Float64Array; diceB: Float64Array; hasTruth: Uint8Array; foundA: Uint8Array; foundB: Uint8Array }

function compareWithTruth(images: readonly ImagePairCounts[], classIds: readonly number[], bootstrap: BootstrapOptions): TruthComparison {
  const n = images.length
  const scored: Scored[] = classIds.map((_, c) => {
    const s = { diceA: new Float64Array(n), diceB: new Float64Array(n), hasTruth: new Uint8Array(n), foundA: new Uint8Array(n), foundB: new Uint8Array(n) }
    images.forEach((image, i) => {
      const k = image.classes[c]
      const truthArea = k.truthArea!
      s.diceA[i] = diceOf(k.areaA, truthArea, k.overlapATruth)
      s.diceB[i] = diceOf(k.areaB, truthArea, k.overlapBTruth)
      s.hasTruth[i] = truthArea > 0 ? 1 : 0
      s.foundA[i] = k.areaA > 0 ? 1 : 0
      s.foundB[i] = k.areaB > 0 ? 1 : 0
    })
    return s
  })
  const perClass = classIds.map((classId, c) => {
    const s = scored[c]
    const tally = (dice: Float64Array, found: Uint8Array) => {
      const t = new ClassTally(classId)
      for (let i = 0; i < n; i++) t.add(dice[i], s.hasTruth[i] === 1, found[i] === 1)
      return t.score()
    }
    return {
      classId,
      a: tally(s.diceA, s.foundA),
      b: tally(s.diceB, s.foundB),
      meanDiceDiff: bootstrapInterval(n, (idx) => meanOver(idx, (i) => s.diceB[i] - s.diceA[i]), bootstrap),
      diceOnDefectsDiff: bootstrapInterval(n, (idx) => meanOver(idx, (i) => s.diceB[i] - s.diceA[i], (i) => s.hasTruth[i] === 1), bootstrap),
      detectionDiff: bootstrapInterval(n, (idx) => meanOver(idx, (i) => s.foundB[i] - s.foundA[i], (i) => s.hasTruth[i] === 1), bootstrap),
      falsePositiveDiff: bootstrapInterval(n, (idx) => meanOver(idx, (i) => s.foundB[i] - s.foundA[i], (i) => s.hasTruth[i] === 0), bootstrap),
    }
  })
  const imageMean = (dice: 'diceA' | 'diceB') => (i: number) => scored.reduce((sum, s) => sum + s[dice][i], 0) / classIds.length
  const perImageA = imageMean('diceA')
  const perImageB = imageMean('diceB')
  const all = Uint32Array.from({ length: n }, (_, i) => i)
  return {
    images: n,
    perClass,
    meanDiceA: meanOver(all, perImageA),
    meanDiceB: meanOver(all, perImageB),
    meanDiceDiff: bootstrapInterval(n, (idx) => meanOver(idx, (i) => perImageB(i) - perImageA(i)), bootstrap),
  }
}

/** Mean of `value` over the sampled images that pass `keep`; NaN when none does. */
function meanOver(indices: Uint32Array, value: (i: number) => number, keep?: (i: number) => boolean): number {
  let sum = 0
  let count = 0
  for (const i of indices) {
    if (keep && !keep(i)) continue
    sum += value(i)
    count++
  }
  return count === 0 ? Number.NaN : sum / count
}

function disagreementOf(classIds: readonly number[]) {
  return (image: ImagePairCounts): ImageDisagreement => {
    let score = 0
    let differingPx = 0
    let worst: { classId: number; gap: number; px: number } | null = null
    image.classes.forEach((k, c) => {
      const gap = 1 - diceOf(k.areaA, k.areaB, k.overlapAB)
      const px = k.areaA + k.areaB - 2 * k.overlapAB
      score += gap
      differingPx += px
      if (px > 0 && (!worst || gap > worst.gap || (gap === worst.gap && px > worst.px))) worst = { classId: classIds[c], gap, px }
    })
    return { imageId: image.imageId, name: image.name, score, differingPx, worstClassId: (worst as { classId: number } | null)?.classId ?? null }
  }
}
