// Class 1: small pits and spot clusters. A cluster is a handful of small elliptical spots scattered
// around a centre, all darker (pits) or all brighter (bright spots); each spot is deepest at its
// middle. Spots are at least 7 px across so they survive the model's 2× downsampling.
import { COIL_HEIGHT, type DefectShape, type Strip } from './frame.ts'
import type { Rng } from './prng.ts'

interface Spot {
  readonly x: number
  readonly y: number
  readonly a: number // semi-axes, px
  readonly b: number
  readonly cos: number
  readonly sin: number
  readonly contrast: number
  /** Outline roughness: the radius swings by ±rough over `lobes` lobes. */
  readonly rough: number
  readonly lobes: number
  readonly phase: number
}

const SOFTNESS = 1.2

export function drawPits(rng: Rng, strip: Strip): DefectShape {
  const count = rng.int(3, 14)
  const spreadX = rng.uniform(8, 70)
  const spreadY = rng.uniform(6, 36)
  const cx = rng.uniform(strip.left + 15, strip.right - 15)
  const cy = rng.uniform(12, COIL_HEIGHT - 12)
  const sign = rng.sign(0.3)
  const magnitude = rng.uniform(26, 55)
  const spots: Spot[] = []
  for (let k = 0; k < count; k++) {
    const r = rng.chance(0.12) ? rng.uniform(8, 12) : rng.uniform(3.5, 7.5)
    const elongation = rng.uniform(1, 1.6)
    const angle = rng.uniform(0, Math.PI)
    spots.push({
      // Triangular scatter: spots crowd towards the cluster centre.
      x: cx + spreadX * (rng.next() + rng.next() - 1),
      y: cy + spreadY * (rng.next() + rng.next() - 1),
      a: r * elongation,
      b: r / elongation,
      cos: Math.cos(angle),
      sin: Math.sin(angle),
      contrast: sign * magnitude * rng.uniform(0.75, 1.2),
      rough: rng.uniform(0, 0.2),
      lobes: rng.int(2, 5),
      phase: rng.uniform(0, 2 * Math.PI),
    })
  }
  const reach = Math.max(...spots.map((s) => s.a)) + SOFTNESS + 2
  const left = Math.floor(Math.min(...spots.map((s) => s.x)) - reach)
  const top = Math.floor(Math.min(...spots.map((s) => s.y)) - reach)
  const width = Math.ceil(Math.max(...spots.map((s) => s.x)) + reach) - left
  const height = Math.ceil(Math.max(...spots.map((s) => s.y)) + reach) - top
  const alpha = new Float32Array(width * height)
  const delta = new Float32Array(width * height)
  for (const spot of spots) {
    const r = Math.max(spot.a, spot.b)
    const xa = Math.max(0, Math.floor(spot.x - r - SOFTNESS - 1) - left)
    const xb = Math.min(width, Math.ceil(spot.x + r + SOFTNESS + 1) - left)
    const ya = Math.max(0, Math.floor(spot.y - r - SOFTNESS - 1) - top)
    const yb = Math.min(height, Math.ceil(spot.y + r + SOFTNESS + 1) - top)
    for (let py = ya; py < yb; py++) {
      for (let px = xa; px < xb; px++) {
        const dx = px + left - spot.x
        const dy = py + top - spot.y
        const u = (dx * spot.cos + dy * spot.sin) / spot.a
        const v = (dy * spot.cos - dx * spot.sin) / spot.b
        const wobble = 1 + spot.rough * Math.cos(spot.lobes * Math.atan2(v, u) + spot.phase)
        const q = Math.sqrt(u * u + v * v) / wobble // 1 on the spot's outline
        const value = Math.min(1, Math.max(0, ((1 - q) * spot.b) / SOFTNESS + 0.5))
        const k = py * width + px
        if (value <= alpha[k]) continue
        alpha[k] = value
        delta[k] = spot.contrast * (0.6 + 0.4 * Math.sqrt(Math.max(0, 1 - q)))
      }
    }
  }
  return { classId: 1, left, top, width, height, alpha, delta }
}
