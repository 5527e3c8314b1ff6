// Connected defect regions of a mask (8-connected), for the defect jump-list: class, area and box.

export interface Region {
  readonly areaPx: number
  /** Bounding box in image pixels, inclusive. */
  readonly top: number
  readonly left: number
  readonly bottom: number
  readonly right: number
}

/** Regions of a row-major 0/1 mask, largest first. */
export function findRegions(mask: Uint8Array, height: number, width: number): Region[] {
  return findLabelledRegions(mask, height, width).regions.sort((a, b) => b.areaPx - a.areaPx)
}

/**
 * Regions of a row-major 0/1 mask in the order they were found, and each pixel's region: 0 where
 * the mask is clear, k where it belongs to regions[k − 1].
 */
export function findLabelledRegions(mask: Uint8Array, height: number, width: number): { regions: Region[]; labels: Int32Array } {
  const labels = new Int32Array(mask.length) // 0 = not yet visited
  const stack = new Int32Array(mask.length)
  const regions: Region[] = []
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue
    const label = regions.length + 1
    let top = height
    let left = width
    let bottom = -1
    let right = -1
    let area = 0
    let sp = 0
    stack[sp++] = start
    labels[start] = label
    while (sp > 0) {
      const i = stack[--sp]
      const y = (i / width) | 0
      const x = i - y * width
      area++
      if (y < top) top = y
      if (y > bottom) bottom = y
      if (x < left) left = x
      if (x > right) right = x
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy
        if (ny < 0 || ny >= height) continue
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx
          if (nx < 0 || nx >= width) continue
          const j = ny * width + nx
          if (mask[j] !== 0 && labels[j] === 0) {
            labels[j] = label
            stack[sp++] = j
          }
        }
      }
    }
    regions.push({ areaPx: area, top, left, bottom, right })
  }
  return { regions, labels }
}
