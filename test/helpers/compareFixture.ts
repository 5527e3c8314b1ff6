// A source whose two fixture model sets disagree on known images. The `nhwc` set averages
// p = x and p = x/2 (so p = 0.75·x); its copy without the x/2 member has p = x. Every image has a
// 240-grey block in one class's band; images 0 and 6 (classes 1 and 3, lower threshold 0.4) also
// have a 120-grey halo beside it, where p = 0.35 for the full set (out) and 0.47 for the copy (in).
// Image 5 has a halo in class 2's band, whose lower threshold 0.5 keeps it out for both.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeRle } from '../../src-shared/rle.ts'
import { formatSeverstalCsv } from '../../src-shared/severstalCsv.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, writeGray } from './images.ts'

export const COMPARE_IMAGES = 8
export const HALO_IMAGES = [0, 5, 6]
const BLOCK_W = 200
const HALO_W = 100

export const blockOf = (i: number) => ({ top: 64 * (i % 4), bottom: 64 * (i % 4) + 64, left: 8 * i, right: 8 * i + BLOCK_W })

/** Writes the images (PNG, exact greys) and a truth.csv of the blocks alone; returns the names. */
export async function writeCompareSource(folder: string): Promise<string[]> {
  const names: string[] = []
  for (let i = 0; i < COMPARE_IMAGES; i++) {
    const block = blockOf(i)
    const gray = stripWithBlock(100, { value: 240, ...block })
    if (HALO_IMAGES.includes(i)) {
      for (let y = block.top; y < block.bottom; y++) gray.fill(120, y * IMAGE_W + block.right, y * IMAGE_W + block.right + HALO_W)
    }
    const name = `coil-${String(i).padStart(4, '0')}.png`
    await writeGray(join(folder, name), gray, 'png', 1)
    names.push(name)
  }
  const truth = names.map((imageId, i) => ({ imageId, classId: (i % 4) + 1, rle: encodeRle(blockMask(blockOf(i)), IMAGE_H, IMAGE_W) }))
  writeFileSync(join(folder, 'truth.csv'), formatSeverstalCsv('kaggle', names, [1, 2, 3, 4], truth))
  return names
}

/** A copy of the `nhwc` set without its x/2 segmenter member, as a new folder. */
export function writeWeakenedSet(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const source = join(FIXTURES, 'nhwc')
  const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8'))
  manifest.id = 'fixture-nhwc-weakened'
  manifest.segmenter.members = manifest.segmenter.members.filter((m: { file: string }) => m.file !== 'seg-half-nhwc.onnx')
  for (const file of ['cls-mean-nhwc.onnx', 'seg-band-nhwc.onnx']) copyFileSync(join(source, file), join(dir, file))
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return dir
}
