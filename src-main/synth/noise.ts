// Hand-written value noise, the raw material of every texture and outline: a hashed integer lattice
// with smoothstep interpolation, as 1-D profiles, point-evaluated 2-D noise and fBm, and a fast
// whole-frame layer whose interpolation weights are tabled per row and column. Values lie in [−1, 1].
import type { Rng } from './prng.ts'

/** Lattice value in [−1, 1] for integer cell (ix, iy) of the lattice named `seed`. */
export function latticeValue(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ seed
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) / 2147483648 - 1
}

function fade(t: number): number {
  return t * t * (3 - 2 * t)
}

/** Smooth 2-D value noise at any real point, one lattice cell per unit. */
export type Noise2 = (x: number, y: number) => number

export function createNoise2(seed: number): Noise2 {
  return (x, y) => {
    const ix = Math.floor(x)
    const iy = Math.floor(y)
    const fx = fade(x - ix)
    const fy = fade(y - iy)
    const a = latticeValue(ix, iy, seed)
    const b = latticeValue(ix + 1, iy, seed)
    const c = latticeValue(ix, iy + 1, seed)
    const d = latticeValue(ix + 1, iy + 1, seed)
    const top = a + (b - a) * fx
    return top + (c + (d - c) * fx - top) * fy
  }
}

/** Fractal sum of `octaves` noise layers (lacunarity 2, gain 0.5), rescaled to about [−1, 1]. */
export function fbm2(noise: Noise2, x: number, y: number, octaves: number): number {
  let sum = 0
  let amplitude = 1
  let norm = 0
  for (let o = 0; o < octaves; o++) {
    // Offsetting each octave keeps the lattice points of different octaves from lining up.
    sum += amplitude * noise(x + o * 31.7, y + o * 17.3)
    norm += amplitude
    amplitude *= 0.5
    x *= 2
    y *= 2
  }
  return sum / norm
}

/** A smooth 1-D profile of `length` samples with one lattice point every `cell` samples. */
export function noise1(length: number, cell: number, rng: Rng): Float32Array {
  const knots = Math.ceil(length / cell) + 2
  const values = new Float32Array(knots)
  for (let k = 0; k < knots; k++) values[k] = rng.next() * 2 - 1
  const phase = rng.next() // so profiles of equal cell size don't share knot positions
  const out = new Float32Array(length)
  for (let i = 0; i < length; i++) {
    const t = i / cell + phase
    const k = Math.floor(t)
    out[i] = values[k] + (values[k + 1] - values[k]) * fade(t - k)
  }
  return out
}

/** Interpolation table for one axis of a whole-frame layer: lattice index and faded weight. */
function axisTable(size: number, cell: number, phase: number): { index: Int32Array; weight: Float32Array } {
  const index = new Int32Array(size)
  const weight = new Float32Array(size)
  for (let i = 0; i < size; i++) {
    const t = i / cell + phase
    index[i] = Math.floor(t)
    weight[i] = fade(t - index[i])
  }
  return { index, weight }
}

/**
 * Adds `amplitude` × value noise with `cellW`×`cellH` pixel cells to a row-major frame. The lattice
 * is drawn once into a small table, so the per-pixel cost is four lookups and three lerps.
 */
export function addNoiseLayer(
  field: Float32Array,
  width: number,
  height: number,
  cellW: number,
  cellH: number,
  amplitude: number,
  rng: Rng,
): void {
  const cols = axisTable(width, cellW, rng.next())
  const rows = axisTable(height, cellH, rng.next())
  const latticeW = cols.index[width - 1] + 2
  const latticeH = rows.index[height - 1] + 2
  const lattice = new Float32Array(latticeW * latticeH)
  for (let i = 0; i < lattice.length; i++) lattice[i] = (rng.next() * 2 - 1) * amplitude
  for (let y = 0; y < height; y++) {
    const upper = rows.index[y] * latticeW
    const lower = upper + latticeW
    const wy = rows.weight[y]
    const rowStart = y * width
    for (let x = 0; x < width; x++) {
      const ix = cols.index[x]
      const wx = cols.weight[x]
      const top = lattice[upper + ix] + (lattice[upper + ix + 1] - lattice[upper + ix]) * wx
      const bottom = lattice[lower + ix] + (lattice[lower + ix + 1] - lattice[lower + ix]) * wx
      field[rowStart + x] += top + (bottom - top) * wy
    }
  }
}
