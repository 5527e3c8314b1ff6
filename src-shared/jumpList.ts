// The defect jump-list's rule: regions smaller than their class's minimum area are specks a
// reviewer would not jump to; they are hidden, and counted so nothing disappears unannounced.
// Minimum areas are in model pixels (postprocess.ts); regions are measured at image size.

export interface SizedRegion {
  readonly classId: number
  readonly areaPx: number
}

/** Image pixels per model pixel: (image area) / (map area); 1 when the maps' size is unknown. */
export function imagePxPerModelPx(image: { readonly height: number; readonly width: number }, map: { readonly height: number; readonly width: number } | null): number {
  return map && map.height > 0 && map.width > 0 ? (image.height * image.width) / (map.height * map.width) : 1
}

/**
 * Splits regions into those at or above their class's minimum area (`minAreaImagePx`, indexed by
 * class id − 1) and the number hidden below it, per class. Order is kept.
 */
export function hideSpecks<R extends SizedRegion>(regions: readonly R[], minAreaImagePx: readonly number[]): { shown: R[]; hidden: number; hiddenByClass: ReadonlyMap<number, number> } {
  const shown: R[] = []
  const hiddenByClass = new Map<number, number>()
  for (const region of regions) {
    if (region.areaPx >= (minAreaImagePx[region.classId - 1] ?? 0)) shown.push(region)
    else hiddenByClass.set(region.classId, (hiddenByClass.get(region.classId) ?? 0) + 1)
  }
  return { shown, hidden: regions.length - shown.length, hiddenByClass }
}
