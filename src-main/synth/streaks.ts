// Class 3, by far Severstal's most common: marks along the strip, mostly horizontal. Three kinds:
// long thin scratches (often brighter, polished by whatever scraped them), scuffs (shorter, wide,
// ragged, made of striations) and broad streaks (long, wide, lower contrast, striated, but with a
// definite ragged edge, unlike the soft sheen and stains that are no defect).
import { COIL_HEIGHT, type DefectShape, type Strip } from './frame.ts'
import { createNoise2, noise1 } from './noise.ts'
import type { Rng } from './prng.ts'
import { rasterizeStroke, taperEnds } from './stroke.ts'

type Range = readonly [number, number]

interface StreakKind {
  readonly weight: number
  readonly length: Range
  readonly halfWidth: Range
  /** Relative width variation: coarse (cell length range) and fine (cells of 5–14 px). */
  readonly ragged: number
  readonly raggedCell: Range
  readonly fineRagged: number
  /** Amplitude and cell length of the centre line's wander, px. */
  readonly wander: Range
  readonly wanderCell: Range
  readonly magnitude: Range
  /** How far the contrast fades along the stroke (0 = constant). */
  readonly fading: number
  readonly brightShare: number
  readonly softness: number
  /** Depth of the striations: contrast varies down to (1 − depth) of full. */
  readonly striation: number
  readonly taper: Range
}

const KINDS: readonly StreakKind[] = [
  { // long thin scratch
    weight: 0.45, length: [250, 1400], halfWidth: [3, 7], ragged: 0.25, raggedCell: [30, 80], fineRagged: 0.08,
    wander: [2, 14], wanderCell: [150, 500], magnitude: [26, 50], fading: 0.4, brightShare: 0.55, softness: 1.2,
    striation: 0.3, taper: [10, 160],
  },
  { // scuff
    weight: 0.3, length: [120, 600], halfWidth: [7, 22], ragged: 0.35, raggedCell: [12, 40], fineRagged: 0.15,
    wander: [2, 10], wanderCell: [80, 300], magnitude: [24, 45], fading: 0.4, brightShare: 0.45, softness: 1.5,
    striation: 0.55, taper: [5, 90],
  },
  { // broad streak
    weight: 0.25, length: [400, 1600], halfWidth: [14, 42], ragged: 0.25, raggedCell: [60, 200], fineRagged: 0.12,
    wander: [3, 20], wanderCell: [200, 600], magnitude: [20, 34], fading: 0.45, brightShare: 0.35, softness: 2,
    striation: 0.4, taper: [10, 200],
  },
]

export function drawStreak(rng: Rng, strip: Strip): DefectShape {
  const kind = KINDS[rng.weighted(KINDS.map((k) => k.weight))]
  const span = strip.right - strip.left
  const length = Math.min(span, Math.round(rng.uniform(...kind.length)))
  const start = strip.left + rng.int(0, span - length)
  const halfWidthBase = rng.uniform(...kind.halfWidth)
  const slope = rng.chance(0.15) ? rng.uniform(-0.3, 0.3) : rng.uniform(-0.05, 0.05)
  // The middle stays on the image; a long slanted stroke may run off the top or bottom (clipped).
  const mid = rng.uniform(halfWidthBase + 4, COIL_HEIGHT - halfWidthBase - 4)
  const wander = noise1(length, rng.uniform(...kind.wanderCell), rng)
  const wanderAmp = rng.uniform(...kind.wander)
  const ragged = noise1(length, rng.uniform(...kind.raggedCell), rng)
  const fineRagged = noise1(length, rng.uniform(5, 14), rng)
  const along = noise1(length, rng.uniform(40, 160), rng)
  const sign = rng.sign(kind.brightShare)
  const magnitude = rng.uniform(...kind.magnitude)
  const centre = new Float32Array(length)
  const halfWidth = new Float32Array(length)
  const contrast = new Float32Array(length)
  for (let t = 0; t < length; t++) {
    centre[t] = mid + slope * (t - length / 2) + wanderAmp * wander[t]
    halfWidth[t] = halfWidthBase * (1 + kind.ragged * ragged[t] + kind.fineRagged * fineRagged[t])
    contrast[t] = sign * magnitude * (1 - kind.fading * 0.5 * (1 + along[t]))
  }
  // Ends differ: one may be blunt where the other fades to a point.
  const taperStart = Math.min(length * 0.3, rng.uniform(...kind.taper))
  const taperEnd = Math.min(length * 0.3, rng.uniform(...kind.taper))
  taperEnds(halfWidth, taperStart, taperEnd, rng.uniform(0.3, 1.1))
  // Striations run along the stroke: long thin cells, plus a coarser mottle so the band is not flat.
  const fine = createNoise2(rng.seed())
  const coarse = createNoise2(rng.seed())
  const striationLength = rng.uniform(25, 80)
  const depth = kind.striation
  const texture = (a: number, u: number): number => {
    const striae = 0.5 * (1 + fine(a / striationLength, u / 1.3))
    const mottle = 0.5 * (1 + coarse(a / (4 * striationLength), u / 8))
    return 1 - depth * (0.65 * striae + 0.35 * mottle)
  }
  return rasterizeStroke({ classId: 3, axis: 'x', start, centre, halfWidth, contrast, softness: kind.softness, texture })
}
