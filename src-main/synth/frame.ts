// The coil image's frame and the records the drawing stages pass along: image size (Severstal's
// 1600×256), the strip's usable columns, and a defect's shape as an alpha/intensity patch.

export const COIL_WIDTH = 1600
export const COIL_HEIGHT = 256
export const COIL_PIXELS = COIL_WIDTH * COIL_HEIGHT

/** Columns [left, right) where steel covers every row: defects are only drawn there. */
export interface Strip {
  readonly left: number
  readonly right: number
}

/** Defect classes, Severstal's numbering. */
export const DEFECT_CLASSES = [1, 2, 3, 4] as const
export type DefectClass = (typeof DEFECT_CLASSES)[number]

/**
 * One defect drawn in a bounding box of image pixels (may reach past the image; stamping clips).
 * `alpha` is the shape field: the mask is exactly alpha ≥ 0.5, and the grey change there is
 * `delta` scaled by a strength derived from alpha. `delta` is signed grey levels.
 */
export interface DefectShape {
  readonly classId: DefectClass
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
  readonly alpha: Float32Array
  readonly delta: Float32Array
}

/** The alpha threshold that defines the mask. */
export const MASK_ALPHA = 0.5
