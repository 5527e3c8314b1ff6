// The bare steel: a dark-to-mid grey level under uneven illumination across the width, faint
// vertical banding, fine grain and per-pixel speckle. Returns a float frame so that look-alikes and
// the strip margin can be added before the one quantisation to 8 bits.
import { COIL_HEIGHT, COIL_PIXELS, COIL_WIDTH } from './frame.ts'
import { addNoiseLayer, noise1 } from './noise.ts'
import type { Rng } from './prng.ts'

export function renderSteel(rng: Rng): Float32Array {
  const level = rng.uniform(58, 128)
  const field = new Float32Array(COIL_PIXELS)

  // Grain, in grey levels at the base level: fine pebbly texture, a slightly coarser layer
  // stretched down the strip (the rolling direction), and soft cloudiness.
  addNoiseLayer(field, COIL_WIDTH, COIL_HEIGHT, 1.6, 2.2, level * rng.uniform(0.05, 0.08), rng)
  addNoiseLayer(field, COIL_WIDTH, COIL_HEIGHT, 5, 14, level * rng.uniform(0.02, 0.04), rng)
  addNoiseLayer(field, COIL_WIDTH, COIL_HEIGHT, 60, 40, level * rng.uniform(0.02, 0.05), rng)

  // Illumination falls off unevenly across the width: a slow profile plus a broad vignette.
  const illumination = noise1(COIL_WIDTH, rng.uniform(350, 800), rng)
  const illuminationAmp = rng.uniform(0.05, 0.15)
  const vignetteCentre = rng.uniform(300, 1300)
  const vignette = rng.uniform(0, 0.15)
  const bandAmp = rng.uniform(1, 3.5) * (level / 90)
  const fineBands = noise1(COIL_WIDTH, rng.uniform(1.2, 2.5), rng)
  const broadBands = noise1(COIL_WIDTH, rng.uniform(6, 30), rng)
  const colGain = new Float32Array(COIL_WIDTH)
  const colBand = new Float32Array(COIL_WIDTH)
  for (let x = 0; x < COIL_WIDTH; x++) {
    const v = (x - vignetteCentre) / 1000
    colGain[x] = 1 + illuminationAmp * illumination[x] - vignette * v * v
    colBand[x] = bandAmp * (0.5 * fineBands[x] + broadBands[x])
  }
  const rowProfile = noise1(COIL_HEIGHT, rng.uniform(100, 300), rng)
  const rowAmp = rng.uniform(0.01, 0.05)

  // Speckle: triangular noise from an inline xorshift, the one per-pixel random draw.
  const speckle = level * rng.uniform(0.05, 0.09)
  let s = rng.seed() | 1
  for (let y = 0; y < COIL_HEIGHT; y++) {
    const rowGain = 1 + rowAmp * rowProfile[y]
    const rowStart = y * COIL_WIDTH
    for (let x = 0; x < COIL_WIDTH; x++) {
      s ^= s << 13
      s ^= s >>> 17
      s ^= s << 5
      const u1 = (s & 0xffff) / 65536
      const u2 = (s >>> 16) / 65536
      const i = rowStart + x
      field[i] = (level + field[i] + speckle * (u1 + u2 - 1)) * colGain[x] * rowGain + colBand[x]
    }
  }
  return field
}
