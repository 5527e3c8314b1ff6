// Renders build/icon.svg into the icon files electron-builder takes as they are (converting needs a
// toolset it downloads): build/icons/NxN.png for Linux, build/icon.ico for Windows (≥ 256 px) and
// build/icon.icns for macOS. ICO and ICNS both hold plain PNGs behind a small index.
// Run: node scripts/package/makeIcons.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'

const BUILD = new URL('../../build/', import.meta.url)
const svg = readFileSync(new URL('icon.svg', BUILD))
const png = (size: number) => sharp(svg, { density: (72 * size) / 1024 + 1 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer()

const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS element types holding PNGs of these sizes. */
const ICNS_TYPES: [string, number][] = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]]

const pngs = new Map<number, Buffer>()
for (const size of new Set([...LINUX_SIZES, ...ICO_SIZES])) pngs.set(size, await png(size))

mkdirSync(new URL('icons/', BUILD), { recursive: true })
for (const size of LINUX_SIZES) writeFileSync(new URL(`icons/${size}x${size}.png`, BUILD), pngs.get(size)!)
writeFileSync(new URL('icon.ico', BUILD), ico(ICO_SIZES.map((size) => [size, pngs.get(size)!])))
writeFileSync(new URL('icon.icns', BUILD), icns(ICNS_TYPES.map(([type, size]) => [type, pngs.get(size)!])))

/** ICONDIR, one 16-byte ICONDIRENTRY per image (0 means 256), then the PNGs. */
function ico(images: [number, Buffer][]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(([size, data], i) => {
    const entry = 6 + 16 * i
    header.writeUInt8(size % 256, entry)
    header.writeUInt8(size % 256, entry + 1)
    header.writeUInt16LE(1, entry + 4) // colour planes
    header.writeUInt16LE(32, entry + 6) // bits per pixel
    header.writeUInt32LE(data.length, entry + 8)
    header.writeUInt32LE(offset, entry + 12)
    offset += data.length
  })
  return Buffer.concat([header, ...images.map(([, data]) => data)])
}

/** 'icns' and the file length, then per element its type, its length (header included) and its PNG. */
function icns(elements: [string, Buffer][]): Buffer {
  const parts = elements.map(([type, data]) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([head, data])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4)
  return Buffer.concat([head, ...parts])
}
