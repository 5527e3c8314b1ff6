// The overlay painter is plain TypeScript: tested under Node, benchmarked in Chromium.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { packRgba, renderOverlay } from '../../src-renderer/src/lib/overlay.ts'

test('fill paints set pixels with the class colour and opacity; hidden classes are skipped', () => {
  const mask = Uint8Array.from([0, 1, 1, 0])
  const other = Uint8Array.from([1, 0, 0, 0])
  const pixels = new Uint8ClampedArray(16).fill(7) // cleared first
  renderOverlay(pixels, 4, 1, [{ mask, color: '#ff8000', isVisible: true }, { mask: other, color: '#00ff00', isVisible: false }], 'fill', 0.5)
  assert.deepEqual([...pixels], [0, 0, 0, 0, 255, 128, 0, 128, 255, 128, 0, 128, 0, 0, 0, 0])
})

test('outline keeps only the border of a region, opaque', () => {
  const w = 5
  const mask = new Uint8Array(25)
  for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) mask[y * w + x] = 1
  const pixels = new Uint8ClampedArray(100)
  renderOverlay(pixels, w, 5, [{ mask, color: '#0000ff', isVisible: true }], 'outline', 0.3)
  const painted = [...Array(25).keys()].filter((i) => pixels[i * 4 + 3] !== 0)
  assert.deepEqual(painted, [6, 7, 8, 11, 13, 16, 17, 18]) // the centre (12) stays clear
  assert.equal(pixels[6 * 4 + 3], 255)
})

test('packRgba is little-endian RGBA', () => {
  assert.equal(packRgba('#112233', 0x44), 0x44332211)
})
