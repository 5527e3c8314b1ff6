// What the Library sorts and filters on, kept beside each prediction: the total defect area and
// the set of classes with a non-empty mask (bit classId − 1), so no query opens the class JSON.
import type { ClassStat } from './records.ts'

export interface DefectSummary {
  readonly areaPx: number
  readonly classMask: number
}

export function defectSummary(classStats: readonly ClassStat[]): DefectSummary {
  let areaPx = 0
  let classMask = 0
  for (const stat of classStats) {
    areaPx += stat.areaImagePx
    if (stat.areaImagePx > 0) classMask |= classBit(stat.classId)
  }
  return { areaPx: Math.round(areaPx), classMask }
}

/** The bits of these class ids (1-based; up to 31 classes). */
export function classBits(classIds: readonly number[]): number {
  return classIds.reduce((mask, id) => mask | classBit(id), 0)
}

function classBit(classId: number): number {
  if (!Number.isInteger(classId) || classId < 1 || classId > 31) throw new Error(`class id ${classId} is outside 1…31`)
  return 1 << (classId - 1)
}
