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

export async function writeGray(path: string, gray: Uint8Array, format: 'png' | 'jpeg', channels: 1 | 3 = 3): Promise<void> {
  let image = sharp(gray, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 1 } })
  if (channels === 3) image = image.toColourspace('srgb')
  image = format === 'png' ? image.png() : image.jpeg({ quality: 95 })
  await image.toFile(path)
}

export function tempDir(prefix = 'coilscope-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}
