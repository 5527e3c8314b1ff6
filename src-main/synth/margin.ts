// Where the strip ends inside the frame: some images show a black margin at the left or right,
// beyond a slightly wavy, slightly tilted edge. Owns the margin plan, the strip's usable columns
// (defects stay clear of the edge) and painting the margin into the float frame.
import { COIL_HEIGHT, COIL_WIDTH, type Strip } from './frame.ts'
import { noise1 } from './noise.ts'
import type { Rng } from './prng.ts'

export interface Margin {
  readonly side: 'left' | 'right'
  /** Per row: the x where steel gives way to the margin. */
  readonly edge: Float32Array
  /** Brightness of the lit rim on the steel side of the edge, grey levels. */
  readonly rim: number
}

const MARGIN_PROBABILITY = 0.18
/** Columns kept free of defects beside the edge, so no mask touches the margin or the rim. */
const EDGE_CLEARANCE = 8

export function planStrip(rng: Rng): { strip: Strip; margin: Margin | null } {
  if (!rng.chance(MARGIN_PROBABILITY)) return { strip: { left: 0, right: COIL_WIDTH }, margin: null }
  const side = rng.chance(0.5) ? 'left' : 'right'
  const depth = rng.uniform(30, 520)
  const tilt = rng.uniform(-0.06, 0.06)
  const wobble = noise1(COIL_HEIGHT, rng.uniform(15, 60), rng)
  const wobbleAmp = rng.uniform(0.5, 3)
  const edge = new Float32Array(COIL_HEIGHT)
  for (let y = 0; y < COIL_HEIGHT; y++) {
    const offset = depth + tilt * (y - COIL_HEIGHT / 2) + wobbleAmp * wobble[y]
    edge[y] = side === 'left' ? offset : COIL_WIDTH - offset
  }
  const rim = rng.chance(0.5) ? rng.uniform(8, 30) : 0
  let lo = Infinity
  let hi = -Infinity
  for (const x of edge) {
    lo = Math.min(lo, x)
    hi = Math.max(hi, x)
  }
  const strip = side === 'left'
    ? { left: Math.ceil(hi) + EDGE_CLEARANCE, right: COIL_WIDTH }
    : { left: 0, right: Math.floor(lo) - EDGE_CLEARANCE }
  return { strip, margin: { side, edge, rim } }
}

/** Blends the frame into a near-black margin over a few pixels past the edge and adds the rim. */
export function paintMargin(field: Float32Array, margin: Margin, rng: Rng): void {
  const ramp = rng.uniform(1.5, 5)
  const black = rng.uniform(1, 10)
  const outward = margin.side === 'left' ? -1 : 1
  let s = rng.seed() | 1
  for (let y = 0; y < COIL_HEIGHT; y++) {
    const rowStart = y * COIL_WIDTH
    const edge = margin.edge[y]
    for (let x = 0; x < COIL_WIDTH; x++) {
      const d = (x + 0.5 - edge) * outward // > 0 inside the margin
      if (d < -4) continue
      s ^= s << 13
      s ^= s >>> 17
      s ^= s << 5
      const dark = black + ((s & 0xff) / 255 - 0.5) * 4
      const t = Math.min(1, Math.max(0, d / ramp + 0.5))
      const rim = margin.rim * Math.exp(-((d + 1.5) ** 2) / 2)
      const i = rowStart + x
      field[i] = (field[i] + rim) * (1 - t) + dark * t
    }
  }
}
