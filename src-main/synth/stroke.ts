// Rasterises a stroke — a band of varying width following a wandering centre line — into a defect
// shape. Scratches, cracks, scuffs and streaks (classes 2 and 3) are all strokes; they differ in
// direction, width, length, contrast and texture, which their own modules choose.
import type { DefectClass, DefectShape } from './frame.ts'

export interface Stroke {
  readonly classId: DefectClass
  /** Direction the stroke runs: along x (horizontal) or along y (vertical). */
  readonly axis: 'x' | 'y'
  /** First along-axis pixel; the profiles below hold one sample per along-axis pixel from here. */
  readonly start: number
  /** Across-axis centre line. */
  readonly centre: Float32Array
  /** Half the width; the mask is |across − centre| ≤ halfWidth. */
  readonly halfWidth: Float32Array
  /** Signed grey-level change at full strength. */
  readonly contrast: Float32Array
  /** Pixels over which alpha climbs from 0 to 1 across the edge. */
  readonly softness: number
  /** Multiplier on the contrast at (along pixel, across offset from the centre), e.g. fibres. */
  readonly texture?: (along: number, across: number) => number
}

export function rasterizeStroke(stroke: Stroke): DefectShape {
  const { centre, halfWidth, contrast, softness, texture } = stroke
  const length = centre.length
  let lo = Infinity
  let hi = -Infinity
  for (let t = 0; t < length; t++) {
    lo = Math.min(lo, centre[t] - halfWidth[t])
    hi = Math.max(hi, centre[t] + halfWidth[t])
  }
  const acrossStart = Math.floor(lo - softness) - 1
  const span = Math.ceil(hi + softness) + 2 - acrossStart
  const alpha = new Float32Array(length * span)
  const delta = new Float32Array(length * span)
  const isHorizontal = stroke.axis === 'x'
  for (let t = 0; t < length; t++) {
    const hw = halfWidth[t]
    if (hw <= 0) continue
    for (let a = 0; a < span; a++) {
      const offset = acrossStart + a - centre[t]
      const d = Math.abs(offset)
      const value = Math.min(1, Math.max(0, (hw - d) / softness + 0.5))
      if (value === 0) continue
      // Patch layout is row-major in image space: rows are y.
      const k = isHorizontal ? a * length + t : t * span + a
      alpha[k] = value
      const profile = 1 - 0.3 * Math.min(1, (d / hw) ** 2) // a scratch is deepest at its centre
      delta[k] = contrast[t] * profile * (texture ? texture(stroke.start + t, offset) : 1)
    }
  }
  return isHorizontal
    ? { classId: stroke.classId, left: stroke.start, top: acrossStart, width: length, height: span, alpha, delta }
    : { classId: stroke.classId, left: acrossStart, top: stroke.start, width: span, height: length, alpha, delta }
}

/**
 * Narrows the ends of a stroke to nothing, over `taperStart` and `taperEnd` pixels, as scratches
 * fade out: `power` 1 gives pointed ends, below 1 blunter ones.
 */
export function taperEnds(halfWidth: Float32Array, taperStart: number, taperEnd = taperStart, power = 1): void {
  const n = halfWidth.length
  for (let t = 0; t < n; t++) {
    const fromStart = t + 0.5
    const fromEnd = n - t - 0.5
    if (fromStart < taperStart) halfWidth[t] *= (fromStart / taperStart) ** power
    if (fromEnd < taperEnd) halfWidth[t] *= (fromEnd / taperEnd) ** power
  }
}
