// A minimal indexed-colour PNG encoder (colour type 3, 8 bits per pixel). sharp/libvips can only
// write palette PNGs by quantising, which chooses its own palette order; an indexed mask needs
// pixel value = class id exactly, so the few chunks are written here.
import { crc32, deflateSync } from 'node:zlib'

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)

export type Rgb = readonly [number, number, number]

/** `indices` is row-major, one byte per pixel; `palette[i]` is the colour of index i. */
export function encodePalettePng(indices: Uint8Array, width: number, height: number, palette: readonly Rgb[]): Buffer {
  if (indices.length !== width * height) throw new Error(`indexed image has ${indices.length} pixels, expected ${width}×${height}`)
  if (palette.length < 1 || palette.length > 256) throw new Error(`a PNG palette holds 1 to 256 colours, not ${palette.length}`)
  for (let i = 0; i < indices.length; i++) {
    if (indices[i] >= palette.length) throw new Error(`pixel ${i} has index ${indices[i]}, past the ${palette.length}-colour palette`)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 3, 0, 0, 0], 8) // bit depth 8, colour type 3 (palette), deflate, adaptive filters, no interlace
  // Every row gets filter type 0 (none): mask rows are long runs, which deflate packs well as they are.
  const scanlines = Buffer.alloc(height * (width + 1))
  for (let row = 0; row < height; row++) scanlines.set(indices.subarray(row * width, (row + 1) * width), row * (width + 1) + 1)
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** '#e6b800' → [230, 184, 0]. */
export function parseHexColour(hex: string): Rgb {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim())
  if (!match) throw new Error(`"${hex}" is not a #rrggbb colour`)
  const value = parseInt(match[1], 16)
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255]
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
