// Gallery thumbnails: a crop of the source image around a defect with its class mask composited
// in the class colour (translucent fill, solid outline), as a JPEG data URI. The image is read
// from the source folder and checked against the hash the run recorded: a missing or changed file
// gets no thumbnail (the report says why) rather than a picture of something else.
import { createHash } from 'node:crypto'
import { readRegularFile } from '../files/readRegularFile.ts'
import { join } from 'node:path'
import sharp from 'sharp'
import { parseHexColour } from '../export/index.ts'
import { decodeRle } from '../../src-shared/rle.ts'

export interface ThumbnailRequest {
  readonly imagePath: string
  /** The hash the run recorded; the file must still have it. */
  readonly sha256: string | null
  readonly rle: string
  readonly bbox: readonly [number, number, number, number]
  readonly color: string
}

export type Thumbnail = { readonly ok: true; readonly dataUri: string; readonly cropX: number; readonly cropWidth: number } | { readonly ok: false; readonly reason: string }

/** 3:1 at the strip's 256 rows, the gallery frame's shape. */
const MIN_CROP_WIDTH = 768
const CROP_PADDING = 48
const OUTPUT_WIDTH = 600
const FILL_ALPHA = 0.38

export function galleryImagePath(folderPath: string, relativePath: string): string {
  return join(folderPath, relativePath)
}

export async function renderThumbnail(request: ThumbnailRequest): Promise<Thumbnail> {
  let bytes: Buffer
  try {
    bytes = await readRegularFile(request.imagePath)
  } catch (error) {
    return { ok: false, reason: `image not readable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }
  }
  if (request.sha256 && createHash('sha256').update(bytes).digest('hex') !== request.sha256) return { ok: false, reason: 'image file changed since the run' }
  const { data: gray, info } = await sharp(bytes).autoOrient().extractChannel(0).raw().toBuffer({ resolveWithObject: true })
  const { width, height } = info
  const mask = decodeRle(request.rle, height, width)
  const [bx, , bw] = request.bbox
  const cropWidth = Math.min(width, Math.max(MIN_CROP_WIDTH, bw + 2 * CROP_PADDING))
  const cropX = Math.max(0, Math.min(width - cropWidth, Math.round(bx + bw / 2 - cropWidth / 2)))
  const [r, g, b] = parseHexColour(request.color)
  const rgb = Buffer.alloc(cropWidth * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < cropWidth; x++) {
      const i = y * width + x + cropX
      const o = (y * cropWidth + x) * 3
      const v = gray[i]
      if (mask[i] === 0) {
        rgb[o] = rgb[o + 1] = rgb[o + 2] = v
      } else if (isEdge(mask, i, x + cropX, y, width, height)) {
        rgb[o] = r
        rgb[o + 1] = g
        rgb[o + 2] = b
      } else {
        rgb[o] = Math.round(v + (r - v) * FILL_ALPHA)
        rgb[o + 1] = Math.round(v + (g - v) * FILL_ALPHA)
        rgb[o + 2] = Math.round(v + (b - v) * FILL_ALPHA)
      }
    }
  }
  const jpeg = await sharp(rgb, { raw: { width: cropWidth, height, channels: 3 } })
    .resize({ width: OUTPUT_WIDTH, kernel: 'lanczos3' })
    .jpeg({ quality: 80, chromaSubsampling: '4:4:4' })
    .toBuffer()
  return { ok: true, dataUri: `data:image/jpeg;base64,${jpeg.toString('base64')}`, cropX, cropWidth }
}

/** A set pixel with an unset (or out-of-image) 4-neighbour. */
function isEdge(mask: Uint8Array, i: number, x: number, y: number, width: number, height: number): boolean {
  return x === 0 || y === 0 || x === width - 1 || y === height - 1 || mask[i - 1] === 0 || mask[i + 1] === 0 || mask[i - width] === 0 || mask[i + width] === 0
}
