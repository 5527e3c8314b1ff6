// One synthetic coil image with its exact masks, as a pure function of (seed, index, options).
// Each stage draws from its own random stream, so switching defects off (or changing the defect
// rate) leaves the surface, margin and look-alikes untouched: the defect-free render differs from
// the full one exactly on the masks.
import { planClasses } from './classPlan.ts'
import { coilId } from './coilId.ts'
import { drawDefects } from './defects.ts'
import { COIL_PIXELS, type DefectClass, type Strip } from './frame.ts'
import { drawLookalikes } from './lookalikes.ts'
import { paintMargin, planStrip } from './margin.ts'
import { hashSeed, Rng } from './prng.ts'
import { renderSteel } from './surface.ts'

export interface CoilOptions {
  /** Share of images with at least one defect, 0…1 (default 0.5). */
  readonly defectRate?: number
  /** false renders the same image without its defects (masks then empty). Default true. */
  readonly drawDefects?: boolean
}

export interface Coil {
  /** Severstal-style image id, nine hex digits (the file is `${id}.jpg`). */
  readonly id: string
  readonly seed: number
  readonly index: number
  /** Row-major 1600×256 grey image. */
  readonly gray: Uint8Array
  /** One row-major 0/1 mask per class present; classes never overlap. */
  readonly masks: ReadonlyMap<DefectClass, Uint8Array>
  /** Classes present, ascending. */
  readonly classes: readonly DefectClass[]
  /** Columns where steel covers every row (the rest is black margin). */
  readonly strip: Strip
}

export const DEFAULT_DEFECT_RATE = 0.5
export const MAX_SEED = 0xffff_ffff

// Stream numbers are part of the output's definition: changing one changes every image.
const STREAM_SURFACE = 1
const STREAM_LOOKALIKES = 2
const STREAM_MARGIN = 3
const STREAM_DEFECTS = 4

export function generateCoil(seed: number, index: number, options: CoilOptions = {}): Coil {
  const defectRate = options.defectRate ?? DEFAULT_DEFECT_RATE
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed ${seed} is not an integer in [0, ${MAX_SEED}]`)
  if (!(defectRate >= 0 && defectRate <= 1)) throw new RangeError(`defect rate ${defectRate} is not in [0, 1]`)
  const id = coilId(seed, index) // validates the index

  const marginRng = new Rng(hashSeed(seed, index, STREAM_MARGIN))
  const { strip, margin } = planStrip(marginRng)
  const field = renderSteel(new Rng(hashSeed(seed, index, STREAM_SURFACE)))
  drawLookalikes(field, new Rng(hashSeed(seed, index, STREAM_LOOKALIKES)))
  if (margin) paintMargin(field, margin, marginRng)
  // The one quantisation: Uint8ClampedArray rounds and clamps on assignment.
  const surface = new Uint8Array(Uint8ClampedArray.from(field).buffer)

  const defectRng = new Rng(hashSeed(seed, index, STREAM_DEFECTS))
  const planned = planClasses(defectRng, defectRate)
  if (options.drawDefects === false || planned.length === 0) {
    return { id, seed, index, gray: surface, masks: new Map(), classes: [], strip }
  }
  const canvas = { surface, gray: surface.slice(), owner: new Uint8Array(COIL_PIXELS), strip }
  const classes = drawDefects(canvas, planned, defectRng)
  return { id, seed, index, gray: canvas.gray, masks: splitOwner(canvas.owner, classes), classes, strip }
}

/** One 0/1 mask per class from the owner map. */
function splitOwner(owner: Uint8Array, classes: readonly DefectClass[]): Map<DefectClass, Uint8Array> {
  const masks = new Map<DefectClass, Uint8Array>(classes.map((c) => [c, new Uint8Array(COIL_PIXELS)]))
  for (let i = 0; i < owner.length; i++) {
    const c = owner[i]
    if (c !== 0) masks.get(c as DefectClass)![i] = 1
  }
  return masks
}
