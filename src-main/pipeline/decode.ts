// Reads one image file with sharp into interleaved 8-bit pixels with the model's channel count.
// Every failure is an ImageError whose message names the problem; the caller adds the file.
import sharp, { type OutputInfo } from 'sharp'
import { SNIFF_BYTES, sniffImageFormat, type ImageFormat } from './sniff.ts'

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
  /** Something worth recording that did not stop the image, e.g. an unexpected size. */
  readonly warning: string | null
}

export interface DecodeOptions {
  readonly channels: 1 | 3
  /** The source size the model set expects; other sizes are processed with a warning. */
  readonly expectedSize?: { readonly height: number; readonly width: number }
}

export async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  const format = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES))
  if (!format) throw new ImageError(bytes.length === 0 ? 'empty file' : 'not an image (unrecognised content)')
  let decoded: { data: Buffer; info: OutputInfo }
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' })
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
  const warning =
    expected && (expected.width !== width || expected.height !== height)
      ? `image is ${width}×${height}, the model set expects ${expected.width}×${expected.height}; resized for the model`
      : null
  const pixels = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength)
  return { format, width, height, channels: options.channels, pixels, warning }
}

function cleanSharpMessage(message: string): string {
  return message.split('\n')[0].replace(/^Input (buffer|file) /, '').trim()
}
