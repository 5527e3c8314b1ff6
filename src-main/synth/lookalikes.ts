// Harmless marks that are not defects and never enter a mask: oil and water stains (soft,
// low-contrast irregular blobs) and specular reflections (soft bright glows across the strip, and
// now and then a faint sheen along it). They are drawn into the surface before any defect, so a
// render with defects disabled has them too. What sets them apart from defects is softness: no
// edge, a few grey levels of contrast, Gaussian or smoothstep fall-off over tens of pixels.
import { COIL_HEIGHT, COIL_WIDTH } from './frame.ts'
import { createNoise2, fbm2, noise1 } from './noise.ts'
import type { Rng } from './prng.ts'

export function drawLookalikes(field: Float32Array, rng: Rng): void {
  const stains = rng.chance(0.4) ? rng.int(1, 3) : 0
  for (let k = 0; k < stains; k++) drawStain(field, rng)
  const glows = rng.chance(0.3) ? rng.int(1, 2) : 0
  for (let k = 0; k < glows; k++) drawGlow(field, rng)
  if (rng.chance(0.12)) drawSheen(field, rng)
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)))
  return t * t * (3 - 2 * t)
}

/** An oil or water stain: an fBm-warped ellipse with a wide smooth fall-off, mostly darker. */
function drawStain(field: Float32Array, rng: Rng): void {
  const cx = rng.uniform(0, COIL_WIDTH)
  const cy = rng.uniform(0, COIL_HEIGHT)
  const rx = rng.uniform(30, 260)
  const ry = rng.uniform(20, 120)
  const contrast = rng.chance(0.75) ? -rng.uniform(4, 12) : rng.uniform(3, 8)
  const scale = rng.uniform(25, 60)
  const noise = createNoise2(rng.seed())
  const x0 = Math.max(0, Math.floor(cx - rx * 1.5))
  const x1 = Math.min(COIL_WIDTH, Math.ceil(cx + rx * 1.5))
  const y0 = Math.max(0, Math.floor(cy - ry * 1.5))
  const y1 = Math.min(COIL_HEIGHT, Math.ceil(cy + ry * 1.5))
  for (let y = y0; y < y1; y++) {
    const dy = (y - cy) / ry
    for (let x = x0; x < x1; x++) {
      const dx = (x - cx) / rx
      const envelope = 1 - Math.sqrt(dx * dx + dy * dy)
      if (envelope < -0.5) continue
      const f = envelope + 0.45 * fbm2(noise, x / scale, y / scale, 3)
      field[y * COIL_WIDTH + x] += contrast * smoothstep(-0.15, 0.45, f)
    }
  }
}

/** A specular glow: a Gaussian bright band crossing the strip at a slant, brightness varying. */
function drawGlow(field: Float32Array, rng: Rng): void {
  const x0 = rng.uniform(0, COIL_WIDTH)
  const tilt = rng.uniform(-0.35, 0.35)
  const sigma = rng.uniform(10, 90)
  const amplitude = rng.uniform(6, 20)
  const along = noise1(COIL_HEIGHT, rng.uniform(60, 200), rng)
  for (let y = 0; y < COIL_HEIGHT; y++) {
    const cx = x0 + tilt * (y - COIL_HEIGHT / 2)
    const a = amplitude * (0.75 + 0.25 * along[y])
    const xa = Math.max(0, Math.floor(cx - 3 * sigma))
    const xb = Math.min(COIL_WIDTH, Math.ceil(cx + 3 * sigma))
    for (let x = xa; x < xb; x++) {
      const u = (x - cx) / sigma
      field[y * COIL_WIDTH + x] += a * Math.exp(-0.5 * u * u)
    }
  }
}

/** A faint sheen along the strip: very soft, lower contrast than any class-3 streak. */
function drawSheen(field: Float32Array, rng: Rng): void {
  const cy = rng.uniform(0, COIL_HEIGHT)
  const sigma = rng.uniform(6, 25)
  const amplitude = rng.uniform(4, 9)
  const along = noise1(COIL_WIDTH, rng.uniform(120, 400), rng)
  for (let y = 0; y < COIL_HEIGHT; y++) {
    const u = (y - cy) / sigma
    const profile = amplitude * Math.exp(-0.5 * u * u)
    if (profile < 0.05) continue
    for (let x = 0; x < COIL_WIDTH; x++) field[y * COIL_WIDTH + x] += profile * (0.5 + 0.5 * along[x])
  }
}
