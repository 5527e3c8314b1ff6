// Mask PNGs into a folder, written whole (writeDirAtomic):
//   png:          one 1-bit greyscale PNG per image and class, `<image>_<class>.png` (the kaggle2019
//                 key plus .png), white = defect; every class of every image, empty ones too.
//   indexed-png:  one palette PNG per image, `<image>.png`, pixel value = class id (0 = no defect),
//                 palette from the class colours. Where classes overlap the highest class id wins;
//                 the overlaps are counted per image in the sidecar, and the per-class form is the
//                 lossless one.
// Each folder gets `masks.json`: what was exported, from which run, and the overlap rule. The
// images are read from the store a page at a time and written as they come (bounded memory).
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { decodeRle } from '../../src-shared/rle.ts'
import type { ExportImage, StreamedSelection } from './exportSelection.ts'
import { MaskSidecar } from './maskSidecar.ts'
import { encodePalettePng, parseHexColour, type Rgb } from './palettePng.ts'

export { MASK_SIDECAR } from './maskSidecar.ts'
export const OVERLAP_RULE = 'where classes overlap, the pixel takes the highest class id'
const CONCURRENCY = 4

export interface MaskFolderSummary {
  readonly files: number
  readonly nonEmptyMasks: number
}

export function classMaskFileName(relativePath: string, classId: number): string {
  return `${relativePath}_${classId}.png`
}

export function indexedMaskFileName(relativePath: string): string {
  return `${relativePath}.png`
}

/** Writes per-class 1-bit PNGs into `dir` (an empty folder). */
export async function writeClassMaskPngs(dir: string, selection: StreamedSelection): Promise<MaskFolderSummary> {
  let files = 0
  let nonEmptyMasks = 0
  const sidecar = await MaskSidecar.open(dir, selection, 'png')
  await forEachLimited(selection.images(), sidecar, async (entry) => {
    const { width, height } = imageSize(entry)
    for (const mask of entry.masks) {
      const bits = decodeRle(mask.rle, height, width)
      for (let i = 0; i < bits.length; i++) bits[i] *= 255 // 1-bit PNG keeps the top bit
      const png = await sharp(bits, { raw: { width, height, channels: 1 } })
        .toColourspace('b-w')
        .png({ colours: 2, palette: false, compressionLevel: 9 }) // colours: 2 → bit depth 1, kept grey by palette: false
        .toBuffer()
      await writeInside(dir, classMaskFileName(entry.image.relativePath, mask.classId), png)
      files++
      if (mask.rle !== '') nonEmptyMasks++
    }
  })
  await sidecar.close({})
  return { files: files + 1, nonEmptyMasks }
}

/** Writes one palette PNG per image into `dir` (an empty folder). */
export async function writeIndexedMaskPngs(dir: string, selection: StreamedSelection): Promise<MaskFolderSummary> {
  const maxClassId = Math.max(0, ...selection.classes.map((c) => c.id))
  if (maxClassId > 255) throw new Error(`class id ${maxClassId} does not fit an 8-bit indexed PNG`)
  const palette: Rgb[] = Array.from({ length: maxClassId + 1 }, () => [0, 0, 0] as const)
  for (const c of selection.classes) palette[c.id] = parseHexColour(c.color)
  const overlaps: { image: string; pixels: number }[] = []
  let files = 0
  let nonEmptyMasks = 0
  const sidecar = await MaskSidecar.open(dir, selection, 'indexed-png')
  await forEachLimited(selection.images(), sidecar, async (entry) => {
    const { width, height } = imageSize(entry)
    const indices = new Uint8Array(width * height)
    let overlapPixels = 0
    // Ascending class order, so a later (higher) class overwrites: the rule in OVERLAP_RULE.
    for (const mask of [...entry.masks].sort((a, b) => a.classId - b.classId)) {
      if (mask.rle === '') continue
      nonEmptyMasks++
      const bits = decodeRle(mask.rle, height, width)
      for (let i = 0; i < bits.length; i++) {
        if (bits[i] === 0) continue
        if (indices[i] !== 0) overlapPixels++
        indices[i] = mask.classId
      }
    }
    if (overlapPixels > 0) overlaps.push({ image: entry.image.relativePath, pixels: overlapPixels })
    await writeInside(dir, indexedMaskFileName(entry.image.relativePath), encodePalettePng(indices, width, height, palette))
    files++
  })
  overlaps.sort((a, b) => a.image.localeCompare(b.image))
  await sidecar.close({ overlapRule: OVERLAP_RULE, overlaps })
  return { files: files + 1, nonEmptyMasks }
}

function imageSize(entry: ExportImage): { width: number; height: number } {
  const { width, height } = entry.image
  if (width === null || height === null) throw new Error(`${entry.image.relativePath}: image size unknown`)
  return { width, height }
}

async function writeInside(dir: string, relativeName: string, data: Uint8Array): Promise<void> {
  const path = join(dir, relativeName)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, data, { flag: 'wx' })
}

/**
 * Runs `work` over the images as `images` yields them, at most CONCURRENCY at once (sharp encodes
 * on its own threads), listing each in the sidecar in the order it was taken.
 */
async function forEachLimited(images: Iterator<ExportImage>, sidecar: MaskSidecar, work: (entry: ExportImage) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | null = null
  const lane = async () => {
    while (!failure) {
      try {
        const next = images.next()
        if (next.done) return
        sidecar.add(next.value.image.relativePath)
        await work(next.value)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  // Every lane stops before the first error is thrown, so no write lands in a folder being removed.
  await Promise.all(Array.from({ length: CONCURRENCY }, lane))
  if (failure) {
    await sidecar.abandon()
    throw (failure as { error: unknown }).error
  }
}
