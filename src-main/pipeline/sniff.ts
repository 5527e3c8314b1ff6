// Recognises images by their first bytes, not their file names.

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'avif'

/** Bytes needed by sniffImageFormat. */
export const SNIFF_BYTES = 12

/** The formats Coilscope reads (those sharp decodes here), for messages. */
export const SUPPORTED_FORMATS = 'JPEG, PNG, WebP, TIFF, GIF and AVIF'

export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b)
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to))
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (starts(0x52, 0x49, 0x46, 0x46) && head[8] === 0x57 && head[9] === 0x45 && head[10] === 0x42 && head[11] === 0x50) return 'webp'
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif'
  // ISO-BMFF: a box size, then 'ftyp' and the major brand.
  if (ascii(4, 8) === 'ftyp' && (ascii(8, 12) === 'avif' || ascii(8, 12) === 'avis')) return 'avif'
  return null
}

/** An image format recognised but not read here (BMP, HEIC), said so; null for anything else. */
export function unsupportedImageFormat(head: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to))
  // 'BM', the file size, then two reserved 16-bit fields that are 0.
  if (ascii(0, 2) === 'BM' && head.length >= 10 && head[6] === 0 && head[7] === 0 && head[8] === 0 && head[9] === 0) return 'BMP'
  if (ascii(4, 8) === 'ftyp' && ['heic', 'heix', 'hevc', 'mif1', 'msf1'].includes(ascii(8, 12))) return 'HEIC'
  return null
}

/** Why a file whose content is not a supported image cannot be inspected. */
export function unsupportedReason(head: Uint8Array): string {
  const format = unsupportedImageFormat(head)
  return format ? `${format} is not supported: Coilscope reads ${SUPPORTED_FORMATS}` : `not an image: Coilscope reads ${SUPPORTED_FORMATS}`
}

/** Extensions that claim to be an image: such a file that is not one is an error, not a skip. */
export function hasImageExtension(name: string): boolean {
  return /\.(jpe?g|png|webp|tiff?|gif|bmp|avif|heic|heif)$/i.test(name)
}
