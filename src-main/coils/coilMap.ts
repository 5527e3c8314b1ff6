// One coil's map as data: its summary, geometry, images at their positions and every defect — what
// the Library's coil map draws and the report's coil section prints.
import { imageExtentMm } from '../../src-shared/coilGeometry.ts'
import type { CoilMap, CoilMapImage } from '../../src-shared/coilTypes.ts'
import type { Store } from '../store/index.ts'
import { coilStatus } from './coilDisposition.ts'
import { summariseCoil } from './coilSummary.ts'
import { activeRuleSet } from './ruleSets.ts'

export function coilMap(store: Store, coilId: number): CoilMap {
  const coil = store.coils.get(coilId)
  if (!coil) throw new Error(`no coil ${coilId}`)
  const status = coilStatus(store, coilId, activeRuleSet(store)?.ruleSet ?? null)
  const images: CoilMapImage[] = store.coils.images(coilId).map((m) => {
    const image = store.images.get(m.imageId)!
    const { alongMm } = imageExtentMm({ width: image.width!, height: image.height! }, status.geometry)
    return { imageId: image.id, relativePath: image.relativePath, seq: m.seq, positionMm: m.positionMm, lengthMm: alongMm }
  })
  return { summary: summariseCoil(store, store.sources.get(coil.sourceId)!, status), geometry: status.geometry, images, defects: status.defects }
}
