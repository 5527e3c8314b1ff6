// Serves binary data by database id for both front doors: Electron's coil:// protocol and the web
// host's /coil/… routes. A request names ids only; every file path comes from the database, and
// only an image file inside its source folder (links resolved) is served (see sourceImage.ts).
import sharp from 'sharp'
import { parseCoilPath, PROB_MAP_SHAPE_HEADER, type CoilRequest } from '../../src-shared/coilUrl.ts'
import { decodeRle, rleProblem } from '../../src-shared/rle.ts'
import type { ImageRecord, Store } from '../store/index.ts'
import { openSourceImage, type SourceImage } from './sourceImage.ts'
import { ThumbnailCache } from './thumbnails.ts'

export interface CoilResponse {
  readonly status: number
  readonly contentType: string
  readonly body: Uint8Array
  readonly headers: Readonly<Record<string, string>>
}

/** Images and thumbnails change only with their file; maps and masks can be replaced under the same id. */
const CACHE_FILE = 'private, max-age=60'
const CACHE_NONE = 'no-store'

export class CoilResources {
  readonly #store: Store
  readonly #thumbnails = new ThumbnailCache()

  constructor(store: Store) {
    this.#store = store
  }

  /** Answers a resource path such as 'thumb/12' (the part after coil:// or /coil/). */
  async respond(path: string): Promise<CoilResponse> {
    const request = parseCoilPath(path)
    if (!request) return text(400, 'not a coil resource')
    try {
      return (await this.#serve(request)) ?? text(404, 'not found')
    } catch (error) {
      return text(500, (error as Error).message)
    }
  }

  async #serve(request: CoilRequest): Promise<CoilResponse | null> {
    switch (request.kind) {
      case 'image': {
        const file = await this.#fileOf(request.imageId, true)
        return file?.bytes ? binary(`image/${file.format}`, file.bytes, CACHE_FILE) : null
      }
      case 'thumb': {
        const file = await this.#fileOf(request.imageId, false)
        const jpeg = file && (await this.#thumbnails.get(file.path, file.image).catch(() => null))
        return jpeg ? binary('image/jpeg', jpeg, CACHE_FILE) : null
      }
      case 'probs': {
        const maps = this.#store.predictions.readProbMaps(request.predictionId)
        if (!maps) return null
        return binary('application/octet-stream', maps.mapsU8, CACHE_NONE, { [PROB_MAP_SHAPE_HEADER]: `${maps.classCount}x${maps.height}x${maps.width}` })
      }
      case 'mask': {
        const image = this.#store.images.get(request.imageId)
        const mask = this.#store.masks.current(request.imageId, request.classId)
        if (!image || !mask || !image.width || !image.height) return null
        const problem = rleProblem(mask.rle, image.height, image.width)
        if (problem) return text(422, `image ${image.id} (${image.relativePath}), class ${mask.classId}: the stored mask is not valid: ${problem}`)
        const bits = decodeRle(mask.rle, image.height, image.width)
        for (let i = 0; i < bits.length; i++) bits[i] *= 255
        const png = await sharp(bits, { raw: { width: image.width, height: image.height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer()
        return binary('image/png', png, CACHE_NONE)
      }
    }
  }

  /** The image file of a record the scan took for an image (it recorded no size otherwise). */
  async #fileOf(imageId: number, withBytes: boolean): Promise<(SourceImage & { image: ImageRecord }) | null> {
    const image = this.#store.images.get(imageId)
    const source = image && this.#store.sources.get(image.sourceId)
    if (!image || !source || image.byteSize === 0) return null
    const file = await openSourceImage(source.folderPath, image.relativePath, { withBytes })
    return file && { ...file, image }
  }
}

function binary(contentType: string, body: Uint8Array, cacheControl: string, headers: Record<string, string> = {}): CoilResponse {
  return { status: 200, contentType, body, headers: { 'cache-control': cacheControl, ...headers } }
}

function text(status: number, message: string): CoilResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: new TextEncoder().encode(message), headers: {} }
}
