// Image space and screen space are different units: branded types keep them apart, and the viewport
// is the only place that converts between them.

declare const imageSpace: unique symbol
declare const screenSpace: unique symbol

/** A point in image pixels (0…width, 0…height of the source image). */
export type ImagePoint = { readonly x: number; readonly y: number } & { readonly [imageSpace]: true }
/** A point in CSS pixels relative to the viewer's top-left corner. */
export type ScreenPoint = { readonly x: number; readonly y: number } & { readonly [screenSpace]: true }

export const imagePoint = (x: number, y: number) => ({ x, y }) as ImagePoint
export const screenPoint = (x: number, y: number) => ({ x, y }) as ScreenPoint

/** Pan and zoom: screen = image · scale + offset. */
export interface Viewport {
  readonly scale: number
  readonly offsetX: number
  readonly offsetY: number
}

export function toImage(viewport: Viewport, p: ScreenPoint): ImagePoint {
  return imagePoint((p.x - viewport.offsetX) / viewport.scale, (p.y - viewport.offsetY) / viewport.scale)
}

export function toScreen(viewport: Viewport, p: ImagePoint): ScreenPoint {
  return screenPoint(p.x * viewport.scale + viewport.offsetX, p.y * viewport.scale + viewport.offsetY)
}

/** Zooms by `factor` keeping the image point under `anchor` where it is; scale stays in [min, max]. */
export function zoomAround(viewport: Viewport, anchor: ScreenPoint, factor: number, minScale: number, maxScale: number): Viewport {
  const scale = Math.min(maxScale, Math.max(minScale, viewport.scale * factor))
  const fixed = toImage(viewport, anchor)
  return { scale, offsetX: anchor.x - fixed.x * scale, offsetY: anchor.y - fixed.y * scale }
}

/** Fits an image of `imageWidth` to a viewer `viewerWidth` wide (the strip viewer's default). */
export function fitToWidth(imageWidth: number, viewerWidth: number): Viewport {
  return { scale: viewerWidth / imageWidth, offsetX: 0, offsetY: 0 }
}
