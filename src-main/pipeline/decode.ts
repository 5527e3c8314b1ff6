// Reads one image file with sharp into interleaved 8-bit pixels with the model's channel count.
// Every failure is an ImageError whose message names the problem; the caller adds the file.
import sharp, { type OutputInfo } from 'sharp'
import { SNIFF_BYTES, sniffImageFormat, unsupportedReason, type ImageFormat } from './sniff.ts'

/** Larger images are refused from their header, before any pixel is decoded. */
export const MAX_INPUT_PIXELS = 40_000_000

export class ImageError extends Error {}

export interface DecodedImage {
  readonly format: ImageFormat
  readonly width: number
  readonly height: number
  /** Channels of `pixels` (1 or 3, as the model takes). */
  readonly channels: 1 | 3
  /** Row-major interleaved pixels, height × width × channels. */
  readonly pixels: Uint8Array
  /** Something worth recording that did not stop the image, e.g. an unexpected size or a rotation. */
  readonly warning: string | null
  /** The EXIF orientation (2–8) the pixels were turned upright by; 1 when they were stored upright. */
  readonly orientation: number
}

export interface DecodeOptions {
  readonly channels: 1 | 3
  /** The source size the model set expects; other sizes are processed with a warning. */
  readonly expectedSize?: { readonly height: number; readonly width: number }
}

export async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  const format = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES))
  if (!format) throw new ImageError(bytes.length === 0 ? 'empty file' : unsupportedReason(bytes.subarray(0, SNIFF_BYTES)))
  let decoded: { data: Buffer; info: OutputInfo }
  let orientation: number
  try {
    // Pixels stored sideways with an EXIF orientation are what a camera or a viewer shows upright:
    // turn them so (autoOrient), and say so, rather than inspect a strip on its side.
    orientation = (await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).orientation ?? 1
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' })
      .autoOrient()
      .removeAlpha()
      .toColourspace(options.channels === 1 ? 'b-w' : 'srgb')
    decoded = await image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true })
  } catch (error) {
    throw new ImageError(`cannot decode ${format.toUpperCase()}: ${cleanSharpMessage((error as Error).message)}`)
  }
  const { width, height, channels } = decoded.info
  if (channels !== options.channels) {
    throw new ImageError(`decoded to ${channels} channels, expected ${options.channels}`)
  }
  const expected = options.expectedSize
  const warnings = [
    orientation !== 1 ? `EXIF orientation ${orientation} (${ORIENTATIONS[orientation] ?? 'unknown'}): turned upright to ${width}×${height} before inspection` : null,
    expected && (expected.width !== width || expected.height !== height)
      ? `image is ${width}×${height}, the model set expects ${expected.width}×${expected.height}; resized for the model`
      : null,
  ].filter((w) => w !== null)
  const pixels = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength)
  return { format, width, height, channels: options.channels, pixels, warning: warnings.length > 0 ? warnings.join('; ') : null, orientation }
}

/** What each EXIF orientation asks a viewer to do to the stored pixels. */
const ORIENTATIONS: Record<number, string> = {
  2: 'mirrored',
  3: 'rotated 180°',
  4: 'flipped',
  5: 'mirrored and rotated 90° counter-clockwise',
  6: 'rotated 90° clockwise',
  7: 'mirrored and rotated 90° clockwise',
  8: 'rotated 90° counter-clockwise',
}

function cleanSharpMessage(message: string): string {
  return message.split('\n')[0].replace(/^Input (buffer|file) /, '').trim()
}
