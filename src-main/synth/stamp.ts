// Puts one defect shape on the image and into the class-owner map, or refuses it. The mask and the
// pixel change come from the same alpha: a pixel is in the mask iff alpha ≥ 0.5, and only mask
// pixels change, so a defect-free render differs from the full one exactly on the masks.
import { COIL_HEIGHT, COIL_WIDTH, MASK_ALPHA, type DefectShape, type Strip } from './frame.ts'

export interface Canvas {
  /** The defect-free render (surface and look-alikes), never written. */
  readonly surface: Uint8Array
  /** The image being drawn, a copy of `surface` to start with. */
  readonly gray: Uint8Array
  /** Class id per pixel, 0 where no defect is. */
  readonly owner: Uint8Array
  readonly strip: Strip
}

/** Every mask pixel differs from the defect-free render by at least this many grey levels. */
export const MIN_STEP = 3

/**
 * Strength of the intensity change at `alpha`: zero outside the mask, then from 45 % at the mask
 * edge up to full within a fraction of a pixel, so the visible edge is where the mask edge is.
 */
export function strengthAt(alpha: number): number {
  if (alpha < MASK_ALPHA) return 0
  const t = Math.min(1, (alpha - MASK_ALPHA) / 0.35)
  return 0.45 + 0.55 * t * t * (3 - 2 * t)
}

/**
 * Draws `shape` if its mask (clipped to the image and the strip) has at least `minArea` pixels and
 * overlaps no defect of another class. Returns the number of mask pixels drawn, 0 if refused.
 */
export function stampDefect(canvas: Canvas, shape: DefectShape, minArea: number): number {
  const { surface, gray, owner, strip } = canvas
  const x0 = Math.max(shape.left, strip.left, 0)
  const x1 = Math.min(shape.left + shape.width, strip.right, COIL_WIDTH)
  const y0 = Math.max(shape.top, 0)
  const y1 = Math.min(shape.top + shape.height, COIL_HEIGHT)
  let area = 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (shape.alpha[(y - shape.top) * shape.width + (x - shape.left)] < MASK_ALPHA) continue
      const holder = owner[y * COIL_WIDTH + x]
      if (holder !== 0 && holder !== shape.classId) return 0
      area++
    }
  }
  if (area < minArea || area === 0) return 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const k = (y - shape.top) * shape.width + (x - shape.left)
      const s = strengthAt(shape.alpha[k])
      if (s === 0) continue
      const i = y * COIL_WIDTH + x
      const delta = shape.delta[k]
      const base = surface[i]
      let value = Math.round(gray[i] + s * delta)
      value = value < 0 ? 0 : value > 255 ? 255 : value
      if (Math.abs(value - base) < MIN_STEP) {
        // Clamping (or a tiny delta) would hide the defect: step away from the surface instead,
        // against the grain of delta if the range has no room in its direction.
        const direction = delta >= 0 ? 1 : -1
        value = base + direction * MIN_STEP
        if (value < 0 || value > 255) value = base - direction * MIN_STEP
      }
      gray[i] = value
      owner[i] = shape.classId
    }
  }
  return area
}
