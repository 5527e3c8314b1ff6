// Binary data by URL: images, thumbnails, probability maps and masks are named by database ids, never
// by paths. The same resource path follows 'coil://' in Electron and '/coil/' on the web host.
//   image/<imageId>            the file as it is on disk
//   thumb/<imageId>            a small JPEG
//   probs/<predictionId>       raw uint8 maps, class-major [class][row][column] at model size
//   mask/<imageId>/<classId>   the current mask at image size, an 8-bit grey PNG (0 or 255)

export const COIL_RESOURCES = ['image', 'thumb', 'probs', 'mask'] as const
export type CoilResource = (typeof COIL_RESOURCES)[number]

export type CoilRequest =
  | { readonly kind: 'image' | 'thumb'; readonly imageId: number }
  | { readonly kind: 'probs'; readonly predictionId: number }
  | { readonly kind: 'mask'; readonly imageId: number; readonly classId: number }

/** Headers of a probs response giving the maps' shape. */
export const PROB_MAP_SHAPE_HEADER = 'x-coil-shape'

export function coilUrl(base: string, request: CoilRequest): string {
  switch (request.kind) {
    case 'image':
    case 'thumb':
      return `${base}${request.kind}/${request.imageId}`
    case 'probs':
      return `${base}probs/${request.predictionId}`
    case 'mask':
      return `${base}mask/${request.imageId}/${request.classId}`
  }
}

/** Parses 'thumb/12', 'mask/3/2', …; null for anything else. */
export function parseCoilPath(path: string): CoilRequest | null {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/')
  const ids = parts.slice(1).map((part) => (/^[1-9][0-9]{0,14}$/.test(part) ? Number(part) : Number.NaN))
  if (ids.some(Number.isNaN)) return null
  const [kind] = parts
  if ((kind === 'image' || kind === 'thumb') && ids.length === 1) return { kind, imageId: ids[0] }
  if (kind === 'probs' && ids.length === 1) return { kind, predictionId: ids[0] }
  if (kind === 'mask' && ids.length === 2) return { kind, imageId: ids[0], classId: ids[1] }
  return null
}
