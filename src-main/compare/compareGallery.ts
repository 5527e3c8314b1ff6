// The disagreement gallery: the most-disagreeing images, each with the class where A and B differ
// most drawn over the image — A only, B only, both — as a JPEG data URI. The image is read from the
// source folder and checked against the hash the runs recorded (a changed file gets no picture).
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import sharp from 'sharp'
import type { ImageDisagreement } from '../../src-shared/compare/compareStats.ts'
import { readRegularFile } from '../files/readRegularFile.ts'
import type { SourceRecord, Store } from '../store/index.ts'
import type { ResolvedSide } from './compareSide.ts'
import { modelMasks } from './pairCounts.ts'

/** Overlay colours: A only, B only, both. */
export const OVERLAY_COLOURS = { onlyA: [230, 126, 34], onlyB: [46, 134, 222], both: [255, 255, 255] } as const
const ALPHA = 0.6
const OUTPUT_WIDTH = 800

export interface GalleryItem {
  readonly imageId: number
  readonly name: string
  readonly classId: number
  readonly score: number
  readonly pixels: { readonly onlyA: number; readonly onlyB: number; readonly both: number }
  /** Null with `reason` when the image could not be drawn. */
  readonly dataUri: string | null
  readonly reason?: string
}

export async function renderGallery(store: Store, source: SourceRecord, a: ResolvedSide, b: ResolvedSide, ranking: readonly ImageDisagreement[], count: number): Promise<GalleryItem[]> {
  const items: GalleryItem[] = []
  const classIds = a.modelSet.classes.map((c) => c.id)
  for (const entry of ranking.filter((r) => r.worstClassId !== null).slice(0, count)) {
    const image = store.images.get(entry.imageId)!
    const size = { height: image.height!, width: image.width! }
    const c = classIds.indexOf(entry.worstClassId!)
    const maskA = modelMasks(store, store.predictions.get(a.run.id, image.id)!, size, classIds.length, a.profile)[c]
    const maskB = modelMasks(store, store.predictions.get(b.run.id, image.id)!, size, classIds.length, b.profile)[c]
    const pixels = { onlyA: 0, onlyB: 0, both: 0 }
    for (let i = 0; i < maskA.length; i++) {
      if (maskA[i] && maskB[i]) pixels.both++
      else if (maskA[i]) pixels.onlyA++
      else if (maskB[i]) pixels.onlyB++
    }
    const base = { imageId: image.id, name: image.relativePath, classId: entry.worstClassId!, score: entry.score, pixels }
    const drawn = await drawOverlay(join(source.folderPath, image.relativePath), image.sha256, maskA, maskB)
    items.push(typeof drawn === 'string' ? { ...base, dataUri: drawn } : { ...base, dataUri: null, reason: drawn.reason })
  }
  return items
}

async function drawOverlay(path: string, sha256: string | null, maskA: Uint8Array, maskB: Uint8Array): Promise<string | { reason: string }> {
  let bytes: Buffer
  try {
    bytes = await readRegularFile(path)
  } catch (error) {
    return { reason: `image not readable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }
  }
  if (sha256 && createHash('sha256').update(bytes).digest('hex') !== sha256) return { reason: 'image file changed since the runs' }
  const { data: gray, info } = await sharp(bytes).autoOrient().extractChannel(0).raw().toBuffer({ resolveWithObject: true })
  if (info.width * info.height !== maskA.length) return { reason: 'image size changed since the runs' }
  const rgb = Buffer.alloc(maskA.length * 3)
  for (let i = 0; i < maskA.length; i++) {
    const v = gray[i]
    const colour = maskA[i] && maskB[i] ? OVERLAY_COLOURS.both : maskA[i] ? OVERLAY_COLOURS.onlyA : maskB[i] ? OVERLAY_COLOURS.onlyB : null
    for (let k = 0; k < 3; k++) rgb[i * 3 + k] = colour ? Math.round(v + (colour[k] - v) * ALPHA) : v
  }
  const jpeg = await sharp(rgb, { raw: { width: info.width, height: info.height, channels: 3 } }).resize({ width: Math.min(OUTPUT_WIDTH, info.width) }).jpeg({ quality: 80 }).toBuffer()
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`
}
