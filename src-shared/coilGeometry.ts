// Where things sit on a coil in physical units. The geometry says which image axis runs along the
// strip and how many millimetres one pixel covers on each axis; images follow one another head to
// tail in coil order, so an image's position is the summed length of the images before it.
import { z } from 'zod'

export const coilGeometrySchema = z.object({
  /** 'x' when image columns advance along the strip (Severstal's 1600-pixel width), 'y' for rows. */
  alongAxis: z.enum(['x', 'y']),
  mmPerPixelX: z.number().positive().finite(),
  mmPerPixelY: z.number().positive().finite(),
})
export type CoilGeometry = z.infer<typeof coilGeometrySchema>

/** Until a source says otherwise: columns run along the strip, a pixel is 1 mm by 1 mm. */
export const DEFAULT_GEOMETRY: CoilGeometry = { alongAxis: 'x', mmPerPixelX: 1, mmPerPixelY: 1 }

export interface ImageSize {
  readonly width: number
  readonly height: number
}

export interface PixelBox {
  /** Inclusive image-pixel bounds. */
  readonly top: number
  readonly left: number
  readonly bottom: number
  readonly right: number
}

/** A box on the coil in millimetres: along from the head, across from the strip's first edge. */
export interface CoilBox {
  readonly alongFromMm: number
  readonly alongToMm: number
  readonly acrossFromMm: number
  readonly acrossToMm: number
}

/** Length of one image along the strip and its width across, in millimetres. */
export function imageExtentMm(size: ImageSize, g: CoilGeometry): { alongMm: number; acrossMm: number } {
  const xMm = size.width * g.mmPerPixelX
  const yMm = size.height * g.mmPerPixelY
  return g.alongAxis === 'x' ? { alongMm: xMm, acrossMm: yMm } : { alongMm: yMm, acrossMm: xMm }
}

/** Each image's head position from the coil's head (mm), and the coil's total length. */
export function imagePositionsMm(sizes: readonly ImageSize[], g: CoilGeometry): { positionsMm: number[]; lengthMm: number } {
  const positionsMm: number[] = []
  let at = 0
  for (const size of sizes) {
    positionsMm.push(at)
    at += imageExtentMm(size, g).alongMm
  }
  return { positionsMm, lengthMm: at }
}

/** A pixel box of an image at `imageHeadMm` as a box on the coil. */
export function boxOnCoil(box: PixelBox, imageHeadMm: number, g: CoilGeometry): CoilBox {
  const x = { from: box.left * g.mmPerPixelX, to: (box.right + 1) * g.mmPerPixelX }
  const y = { from: box.top * g.mmPerPixelY, to: (box.bottom + 1) * g.mmPerPixelY }
  const [along, across] = g.alongAxis === 'x' ? [x, y] : [y, x]
  return { alongFromMm: imageHeadMm + along.from, alongToMm: imageHeadMm + along.to, acrossFromMm: across.from, acrossToMm: across.to }
}

/** Area of `px` pixels in square millimetres. */
export function pixelAreaMm2(px: number, g: CoilGeometry): number {
  return px * g.mmPerPixelX * g.mmPerPixelY
}
