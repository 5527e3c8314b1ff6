// Class 2: thin vertical scratches and cracks across the strip. Narrow (6–11 px) and short to full
// height, nearly straight with a slight wander; mostly darker than the surface. Far thinner, sharper
// and stronger than the faint full-height banding of the surface, which is never a defect.
import { COIL_HEIGHT, type DefectShape, type Strip } from './frame.ts'
import { noise1 } from './noise.ts'
import type { Rng } from './prng.ts'
import { rasterizeStroke, taperEnds } from './stroke.ts'

export function drawCrack(rng: Rng, strip: Strip): DefectShape {
  const isFullHeight = rng.chance(0.35)
  const length = isFullHeight ? COIL_HEIGHT + 20 : rng.int(60, 220)
  const start = isFullHeight ? -10 : rng.int(-20, COIL_HEIGHT - length + 20)
  const x0 = rng.uniform(strip.left + 12, strip.right - 12)
  const slope = rng.uniform(-0.08, 0.08)
  const wander = noise1(length, rng.uniform(25, 80), rng)
  const wanderAmp = rng.uniform(0.5, 3)
  const halfWidthBase = rng.uniform(3, 5.5)
  const widthNoise = noise1(length, rng.uniform(15, 40), rng)
  const sign = rng.sign(0.3)
  const magnitude = rng.uniform(30, 60)
  const along = noise1(length, rng.uniform(8, 25), rng)
  const centre = new Float32Array(length)
  const halfWidth = new Float32Array(length)
  const contrast = new Float32Array(length)
  for (let t = 0; t < length; t++) {
    centre[t] = x0 + slope * (t - length / 2) + wanderAmp * wander[t]
    halfWidth[t] = halfWidthBase * (1 + 0.2 * widthNoise[t])
    contrast[t] = sign * magnitude * (0.8 + 0.2 * along[t])
  }
  if (!isFullHeight) taperEnds(halfWidth, rng.uniform(5, Math.min(40, length * 0.25)), rng.uniform(5, Math.min(40, length * 0.25)), rng.uniform(0.4, 1))
  return rasterizeStroke({ classId: 2, axis: 'y', start, centre, halfWidth, contrast, softness: 1.2 })
}
