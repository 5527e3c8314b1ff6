// Where each image of a source sits on its coil, for the run report's positions chart: with coils
// known, a defect's place along the strip is its image's head position plus its centroid along the
// strip, in metres from the coil's head; without coils the chart keeps the file order.
import type { Store } from '../store/index.ts'
import { resolveCoilSettings } from '../coils/coilSettings.ts'
import type { ReportDefect } from './reportData.ts'

export interface CoilAlong {
  /** Metres from the head of the defect's coil, or null when its image is on no coil. */
  metresOf(defect: ReportDefect): number | null
  readonly longestM: number
  readonly coils: number
}

/** `coilIds`: only these coils (a time range's); default every coil of the source. */
export function coilAlong(store: Store, sourceId: number, coilIds?: readonly number[]): CoilAlong | null {
  const only = coilIds && new Set(coilIds)
  const coils = store.coils.list(sourceId).filter((c) => c.imageCount > 0 && (!only || only.has(c.id)))
  if (coils.length === 0) return null
  const { geometry: g } = resolveCoilSettings(store, store.sources.get(sourceId)!, [])
  const headMm = new Map<number, number>()
  for (const coil of coils) for (const m of store.coils.images(coil.id)) headMm.set(m.imageId, m.positionMm)
  return {
    metresOf: (d) => {
      const head = headMm.get(d.imageId)
      if (head === undefined) return null
      return (head + (g.alongAxis === 'x' ? d.centroidX * g.mmPerPixelX : d.centroidY * g.mmPerPixelY)) / 1000
    },
    longestM: Math.max(...coils.map((c) => c.lengthMm)) / 1000,
    coils: coils.length,
  }
}
