// Builds test images whose model outputs are known in closed form (see fixtures/models).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'

export const FIXTURES = new URL('../fixtures/models/', import.meta.url).pathname
export const IMAGE_H = 256
export const IMAGE_W = 1600

/** A grey strip of `background` with a `value` rectangle [top, bottom) × [left, right) in image pixels. */
export function stripWithBlock(background: number, block?: { value: number; top: number; bottom: number; left: number; right: number }): Uint8Array {
  const gray = new Uint8Array(IMAGE_H * IMAGE_W).fill(background)
  if (block) {
    for (let y = block.top; y < block.bottom; y++) gray.fill(block.value, y * IMAGE_W + block.left, y * IMAGE_W + block.right)
  }
  return gray
}

/** The 0/1 mask of the same rectangle at image size. */
export function blockMask(block: { top: number; bottom: number; left: number; right: number }): Uint8Array {
  return stripWithBlock(0, { value: 1, ...block })
}

/** Writes a grey image as a real 3-channel (R = G = B) or 1-channel file. */
export async function writeGray(path: string, gray: Uint8Array, format: 'png' | 'jpeg', channels: 1 | 3 = 3): Promise<void> {
  const pixels = channels === 1 ? gray : Uint8Array.from({ length: gray.length * 3 }, (_, i) => gray[(i / 3) | 0])
  let image = sharp(pixels, { raw: { width: IMAGE_W, height: IMAGE_H, channels } })
  if (channels === 1) image = image.toColourspace('b-w') // sharp writes sRGB unless told
  image = format === 'png' ? image.png() : image.jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
  await image.toFile(path)
}

/** Writes `count` strips of grey noise (n-0.png …): images unlike any coil, for the fit check. */
export async function writeNoiseStrips(dir: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const grey = Uint8Array.from({ length: IMAGE_H * IMAGE_W }, (_, j) => 90 + (((j * 2654435761 + i) >>> 0) % 151) - 75)
    await sharp(grey, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 1 } }).png().toFile(join(dir, `n-${i}.png`))
  }
}

export function tempDir(prefix = 'coilscope-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * Writes `count` distinct JPEGs, each with one bright block in the band of class (i mod 4) + 1 at
 * a position that depends on i. With the `nchw` fixture set each has exactly that class.
 */
export async function writeBlockImages(dir: string, count: number, start = 0): Promise<string[]> {
  const names: string[] = []
  for (let i = start; i < start + count; i++) {
    const band = i % 4
    const left = 8 * (((i / 4) | 0) % 170)
    const name = `coil-${String(i).padStart(4, '0')}.jpg`
    await writeGray(join(dir, name), stripWithBlock(100, { value: 240, top: 64 * band, bottom: 64 * band + 64, left, right: left + 200 }), 'jpeg', 1)
    names.push(name)
  }
  return names
}
