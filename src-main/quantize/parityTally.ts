// Accumulates the float and int8 sets' results on the same images into the parity record: per
// class the Dice between their masks, how often each finds the class, how far their probability
// maps differ, and (with truth) each one's Kaggle scores.
import { diceOfRle, scoreMasks, type ClassScore } from '../../src-shared/metrics.ts'
import type { Parity } from '../../src-shared/quantizationSchema.ts'
import type { MaskRow } from '../../src-shared/severstalCsv.ts'

export interface SetResult {
  /** Class-major uint8 probability maps at model resolution, or null when the image was gated out. */
  readonly maps: Uint8Array | null
  /** One RLE per class, in class order ('' when empty). */
  readonly rles: readonly string[]
}

/** Parity targets for shipping an int8 set. */
export const PARITY_TARGETS = { meanDice: 0.002, diceOnDefects: 0.01 } as const

export class ParityTally {
  readonly #classIds: number[]
  readonly #plane: number
  readonly #imageIds: string[] = []
  readonly #rows = { fp32: [] as MaskRow[], int8: [] as MaskRow[] }
  readonly #diceSum: number[]
  readonly #detected: { fp32: number[]; int8: number[] }
  readonly #absSum: number[]
  readonly #absMax: number[]

  constructor(classes: number, plane: number) {
    this.#classIds = Array.from({ length: classes }, (_, c) => c + 1)
    this.#plane = plane
    this.#diceSum = new Array(classes).fill(0)
    this.#detected = { fp32: new Array(classes).fill(0), int8: new Array(classes).fill(0) }
    this.#absSum = new Array(classes).fill(0)
    this.#absMax = new Array(classes).fill(0)
  }

  add(imageId: string, fp32: SetResult, int8: SetResult): void {
    this.#imageIds.push(imageId)
    this.#classIds.forEach((classId, c) => {
      this.#diceSum[c] += diceOfRle(fp32.rles[c], int8.rles[c])
      for (const [key, result] of [['fp32', fp32], ['int8', int8]] as const) {
        if (result.rles[c] === '') continue
        this.#detected[key][c]++
        this.#rows[key].push({ imageId, classId, rle: result.rles[c] })
      }
      let sum = 0
      let max = 0
      const at = c * this.#plane
      for (let i = 0; i < this.#plane; i++) {
        const d = Math.abs((fp32.maps?.[at + i] ?? 0) - (int8.maps?.[at + i] ?? 0))
        sum += d
        if (d > max) max = d
      }
      this.#absSum[c] += sum / 255
      this.#absMax[c] = Math.max(this.#absMax[c], max / 255)
    })
  }

  /** The record; `truth` (non-empty masks of these images) adds the scores against it. */
  finish(sha256: string, measuredAt: string, truth: readonly MaskRow[] | null): Parity {
    const n = this.#imageIds.length
    const scores = truth ? { fp32: scoreMasks(this.#imageIds, this.#classIds, truth, this.#rows.fp32), int8: scoreMasks(this.#imageIds, this.#classIds, truth, this.#rows.int8) } : null
    const perClass = this.#classIds.map((classId, c) => ({
      classId,
      diceBetween: this.#diceSum[c] / n,
      detected: { fp32: this.#detected.fp32[c] / n, int8: this.#detected.int8[c] / n },
      probability: { mean: this.#absSum[c] / (n * this.#plane), max: this.#absMax[c] },
      truth: scores ? { fp32: truthScore(scores.fp32.perClass[c]), int8: truthScore(scores.int8.perClass[c]) } : null,
    }))
    const parity: Omit<Parity, 'verdict'> = {
      images: n,
      sha256,
      measuredAt,
      meanDiceBetween: this.#diceSum.reduce((a, b) => a + b, 0) / (n * this.#classIds.length),
      probability: { mean: this.#absSum.reduce((a, b) => a + b, 0) / (n * this.#plane * this.#classIds.length), max: Math.max(...this.#absMax) },
      meanDice: scores ? { fp32: scores.fp32.meanDice, int8: scores.int8.meanDice } : null,
      perClass,
    }
    return { ...parity, verdict: verdict(parity) }
  }
}

function truthScore(score: ClassScore) {
  return { meanDice: score.meanDice, diceOnDefects: score.diceOnDefects, detectionRecall: score.detectionRecall, falsePositiveRate: score.falsePositiveRate }
}

/** Within the targets against the truth: mean Dice, and each class's Dice on defects. */
function verdict(parity: Omit<Parity, 'verdict'>): Parity['verdict'] {
  if (!parity.meanDice) return null
  const lines: string[] = []
  const delta = parity.meanDice.int8 - parity.meanDice.fp32
  if (Math.abs(delta) > PARITY_TARGETS.meanDice) lines.push(`mean Dice moved by ${signed(delta)} (target within ${PARITY_TARGETS.meanDice})`)
  for (const c of parity.perClass) {
    const [a, b] = [c.truth?.fp32.diceOnDefects, c.truth?.int8.diceOnDefects]
    if (a == null || b == null) continue
    if (Math.abs(b - a) > PARITY_TARGETS.diceOnDefects) lines.push(`class ${c.classId} Dice on defects moved by ${signed(b - a)} (target within ${PARITY_TARGETS.diceOnDefects})`)
  }
  return { meets: lines.length === 0, lines }
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`
}
