// Paints class masks into an RGBA pixel buffer for the strip viewer's overlay canvas: per-class
// colour, visibility and opacity, filled or outlined. One pass per visible class over 1600×256.

export type OverlayMode = 'fill' | 'outline'

export interface OverlayClass {
  readonly mask: Uint8Array
  /** '#rrggbb' */
  readonly color: string
  readonly isVisible: boolean
}

/**
 * Writes into `pixels` (width × height × 4, RGBA), clearing it first. Later classes paint over
 * earlier ones where they overlap (Severstal's classes practically never do).
 */
export function renderOverlay(pixels: Uint8ClampedArray, width: number, height: number, classes: readonly OverlayClass[], mode: OverlayMode, opacity: number): void {
  const words = new Uint32Array(pixels.buffer, pixels.byteOffset, width * height)
  words.fill(0)
  const alpha = Math.round(Math.min(1, Math.max(0, opacity)) * 255)
  for (const { mask, color, isVisible } of classes) {
    if (!isVisible) continue
    const word = packRgba(color, alpha)
    if (mode === 'fill') {
      for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) words[i] = word
      continue
    }
    // Outline: a set pixel with a clear 4-neighbour (or on the image edge).
    for (let y = 0; y < height; y++) {
      const row = y * width
      for (let x = 0; x < width; x++) {
        const i = row + x
        if (mask[i] === 0) continue
        const isEdge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || mask[i - 1] === 0 || mask[i + 1] === 0 || mask[i - width] === 0 || mask[i + width] === 0
        if (isEdge) words[i] = word | 0xff000000 // outlines stay opaque to be seen
      }
    }
  }
}

/** '#rrggbb' and an alpha as one little-endian RGBA word (as ImageData stores it). */
export function packRgba(color: string, alpha: number): number {
  const value = Number.parseInt(color.slice(1), 16)
  const r = (value >> 16) & 0xff
  const g = (value >> 8) & 0xff
  const b = value & 0xff
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0
}
