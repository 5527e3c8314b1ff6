// Class 4: rolled-in scale, large dark blotches with irregular outlines. The outline is an
// ellipse warped by fBm and cut at a threshold, so it is ragged at every scale and may break
// into a few islands; inside, a fine mottle gives the rough texture of pressed-in oxide.
import { COIL_HEIGHT, type DefectShape, type Strip } from './frame.ts'
import { createNoise2, fbm2 } from './noise.ts'
import type { Rng } from './prng.ts'

const WARP = 0.55

export function drawScale(rng: Rng, strip: Strip): DefectShape {
  const rx = rng.uniform(45, 260)
  const ry = rng.uniform(30, 110)
  const cx = rng.uniform(strip.left + rx * 0.6, strip.right - rx * 0.6)
  const cy = rng.uniform(ry * 0.4, COIL_HEIGHT - ry * 0.4)
  const outlineScale = rng.uniform(15, 45)
  const mottleScale = rng.uniform(4, 10)
  const magnitude = rng.uniform(28, 60)
  const outline = createNoise2(rng.seed())
  const mottle = createNoise2(rng.seed())
  // Alpha climbs 0 → 1 over roughly two pixels of the warped field's edge.
  const sharpness = Math.min(rx, ry) / 2.5
  const left = Math.floor(cx - rx * 1.4)
  const top = Math.max(-1, Math.floor(cy - ry * 1.4))
  const width = Math.ceil(cx + rx * 1.4) - left
  const height = Math.min(COIL_HEIGHT + 1, Math.ceil(cy + ry * 1.4)) - top
  const alpha = new Float32Array(width * height)
  const delta = new Float32Array(width * height)
  for (let py = 0; py < height; py++) {
    const dy = (py + top - cy) / ry
    for (let px = 0; px < width; px++) {
      const x = px + left
      const dx = (x - cx) / rx
      const envelope = 1 - Math.sqrt(dx * dx + dy * dy)
      if (envelope < -WARP) continue // the warp cannot lift these back to the threshold
      const f = envelope + WARP * fbm2(outline, x / outlineScale, (py + top) / outlineScale, 3)
      const value = Math.min(1, Math.max(0, f * sharpness + 0.5))
      if (value === 0) continue
      const k = py * width + px
      alpha[k] = value
      delta[k] = -magnitude * (0.75 + 0.3 * fbm2(mottle, x / mottleScale, (py + top) / mottleScale, 2))
    }
  }
  return { classId: 4, left, top, width, height, alpha, delta }
}
