// Kaggle RLE → COCO RLE and mask geometry straight from runs, on the edges: empty, full, the first
// and last pixel, runs that wrap from one column into the next, and a 1600×256 strip.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { kaggleToCocoRle, maskGeometry } from '../../../src-main/export/index.ts'
import { maskMoments } from '../../../src-main/report/maskMoments.ts'
import { decodeRle, encodeRle } from '../../../src-shared/rle.ts'

/** Reference geometry from the decoded mask. */
function measure(mask: Uint8Array, height: number, width: number) {
  let area = 0
  let sx = 0
  let sy = 0
  let [x0, y0, x1, y1] = [width, height, -1, -1]
  mask.forEach((v, i) => {
    if (!v) return
    const x = i % width
    const y = Math.floor(i / width)
    area++
    sx += x
    sy += y
    ;[x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)]
  })
  return { area, bbox: area ? [x0, y0, x1 - x0 + 1, y1 - y0 + 1] : [0, 0, 0, 0], cx: area ? sx / area : 0, cy: area ? sy / area : 0 }
}

/** COCO counts expanded back to column-major bits. */
function expandCounts(counts: readonly number[]): number[] {
  return counts.flatMap((run, k) => Array<number>(run).fill(k % 2))
}

const cases: { name: string; rle: string; height: number; width: number; counts?: number[] }[] = [
  { name: 'empty', rle: '', height: 4, width: 3, counts: [12] },
  { name: 'full', rle: '1 12', height: 4, width: 3, counts: [0, 12] },
  { name: 'first pixel', rle: '1 1', height: 4, width: 3, counts: [0, 1, 11] },
  { name: 'last pixel', rle: '12 1', height: 4, width: 3, counts: [11, 1] },
  { name: 'run wraps into the next column', rle: '3 4', height: 4, width: 3, counts: [2, 4, 6] },
  { name: 'run spans three columns', rle: '4 6', height: 4, width: 3, counts: [3, 6, 3] },
  { name: 'several runs', rle: '2 1 5 2 11 2', height: 4, width: 3, counts: [1, 1, 2, 2, 4, 2] },
  { name: 'strip block', rle: encodeRle(stripBlock(), 256, 1600), height: 256, width: 1600 },
]

function stripBlock(): Uint8Array {
  const mask = new Uint8Array(256 * 1600)
  for (let y = 40; y < 200; y++) mask.fill(1, y * 1600 + 300, y * 1600 + 777)
  for (let y = 250; y < 256; y++) mask.fill(1, y * 1600 + 1590, y * 1600 + 1600)
  return mask
}

for (const c of cases) {
  test(`COCO RLE and geometry: ${c.name}`, () => {
    const mask = decodeRle(c.rle, c.height, c.width)
    const coco = kaggleToCocoRle(c.rle, c.height, c.width)
    assert.deepEqual(coco.size, [c.height, c.width])
    if (c.counts) assert.deepEqual(coco.counts, c.counts)
    const bits = expandCounts(coco.counts)
    assert.equal(bits.length, c.height * c.width)
    bits.forEach((bit, n) => assert.equal(bit, mask[(n % c.height) * c.width + Math.floor(n / c.height)], `pixel ${n}`))
    const want = measure(mask, c.height, c.width)
    const geometry = maskGeometry(c.rle, c.height)
    assert.equal(geometry.area, want.area)
    assert.deepEqual(geometry.bbox, want.bbox)
    const moments = maskMoments(c.rle, c.height)
    assert.ok(Math.abs(moments.centroidX - want.cx) < 1e-9 && Math.abs(moments.centroidY - want.cy) < 1e-9, `centroid ${moments.centroidX},${moments.centroidY} vs ${want.cx},${want.cy}`)
  })
}

test('a run past the image is refused', () => {
  assert.throws(() => kaggleToCocoRle('10 5', 4, 3), /runs past the 4×3 image/)
})
