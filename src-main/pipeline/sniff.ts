// Recognises images by their first bytes, not their file names.

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif'

/** Bytes needed by sniffImageFormat. */
export const SNIFF_BYTES = 12

export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b)
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (starts(0x52, 0x49, 0x46, 0x46) && head[8] === 0x57 && head[9] === 0x45 && head[10] === 0x42 && head[11] === 0x50) return 'webp'
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif'
  return null
}

/** Extensions that claim to be an image: such a file that is not one is an error, not a skip. */
export function hasImageExtension(name: string): boolean {
  return /\.(jpe?g|png|webp|tiff?|gif|bmp)$/i.test(name)
}
