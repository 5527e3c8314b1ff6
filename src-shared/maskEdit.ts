// Raster edits of a class bitplane at image resolution: brush and eraser strokes, flood fill, clear.
// Every edit returns a MaskDelta (the pixels it changed and their old values), so undo and redo are
// the delta applied backwards or forwards — per stroke, never per pixel.
import type { ImagePoint } from './coordinates.ts'

export interface MaskDelta {
  /** Row-major indices of the pixels that changed. */
  readonly indices: Uint32Array
  /** Their values before the edit (0/1); after the edit each is the opposite. */
  readonly before: Uint8Array
}

/** Paints (value 1) or erases (value 0) a disc of `radius` along the polyline through `points`. */
export function paintStroke(mask: Uint8Array, height: number, width: number, points: readonly ImagePoint[], radius: number, value: 0 | 1): MaskDelta {
  const changed = new Set<number>()
  const stamp = (cx: number, cy: number) => {
    const r = Math.max(0.5, radius)
    for (let y = Math.max(0, Math.ceil(cy - r)); y <= Math.min(height - 1, Math.floor(cy + r)); y++) {
      const half = Math.sqrt(Math.max(0, r * r - (y - cy) * (y - cy)))
      for (let x = Math.max(0, Math.ceil(cx - half)); x <= Math.min(width - 1, Math.floor(cx + half)); x++) {
        const i = y * width + x
        if (mask[i] !== value) changed.add(i)
      }
    }
  }
  if (points.length === 1) stamp(points[0].x, points[0].y)
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]
    const b = points[k]
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / Math.max(0.5, radius / 2)))
    for (let s = k === 1 ? 0 : 1; s <= steps; s++) stamp(a.x + ((b.x - a.x) * s) / steps, a.y + ((b.y - a.y) * s) / steps)
  }
  return applyChange(mask, [...changed], value)
}

/** Fills the 4-connected region of equal value around `seed` with `value`. */
export function floodFill(mask: Uint8Array, height: number, width: number, seed: ImagePoint, value: 0 | 1): MaskDelta {
  const sx = Math.floor(seed.x)
  const sy = Math.floor(seed.y)
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return emptyDelta()
  const target = mask[sy * width + sx]
  if (target === value) return emptyDelta()
  const seen = new Uint8Array(mask.length)
  const stack = [sy * width + sx]
  const indices: number[] = []
  seen[stack[0]] = 1
  while (stack.length > 0) {
    const i = stack.pop()!
    indices.push(i)
    const y = (i / width) | 0
    const x = i - y * width
    const visit = (j: number) => {
      if (!seen[j] && mask[j] === target) {
        seen[j] = 1
        stack.push(j)
      }
    }
    if (x > 0) visit(i - 1)
    if (x < width - 1) visit(i + 1)
    if (y > 0) visit(i - width)
    if (y < height - 1) visit(i + width)
  }
  return applyChange(mask, indices, value)
}

/** Clears the whole mask. */
export function clearMask(mask: Uint8Array): MaskDelta {
  const indices: number[] = []
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) indices.push(i)
  return applyChange(mask, indices, 0)
}

/** Replaces the mask with `next` (e.g. accept the model's mask, revert to the model). */
export function replaceMask(mask: Uint8Array, next: Uint8Array): MaskDelta {
  const indices: number[] = []
  for (let i = 0; i < mask.length; i++) if (mask[i] !== next[i]) indices.push(i)
  const before = Uint8Array.from(indices, (i) => mask[i])
  for (const i of indices) mask[i] = next[i]
  return { indices: Uint32Array.from(indices), before }
}

/** Undoes a delta (restores the old values). */
export function revertDelta(mask: Uint8Array, delta: MaskDelta): void {
  for (let k = 0; k < delta.indices.length; k++) mask[delta.indices[k]] = delta.before[k]
}

/** Redoes a delta (sets the opposite of the old values). */
export function reapplyDelta(mask: Uint8Array, delta: MaskDelta): void {
  for (let k = 0; k < delta.indices.length; k++) mask[delta.indices[k]] = delta.before[k] ^ 1
}

function applyChange(mask: Uint8Array, indices: number[], value: 0 | 1): MaskDelta {
  const sorted = Uint32Array.from(indices).sort()
  const before = new Uint8Array(sorted.length).fill(value ^ 1)
  for (const i of sorted) mask[i] = value
  return { indices: sorted, before }
}

function emptyDelta(): MaskDelta {
  return { indices: new Uint32Array(0), before: new Uint8Array(0) }
}

/** The delta that turns `before` into `after` (e.g. a whole stroke painted step by step). */
export function diffMasks(before: Uint8Array, after: Uint8Array): MaskDelta {
  const indices: number[] = []
  for (let i = 0; i < after.length; i++) if (before[i] !== after[i]) indices.push(i)
  return { indices: Uint32Array.from(indices), before: Uint8Array.from(indices, (i) => before[i]) }
}
