// The probability-map codec: exact round trips for every codec, and corrupt blobs refused.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  compressProbMaps,
  decompressProbMaps,
  DEFAULT_PROB_MAP_CODEC,
  PROB_MAP_CODECS,
} from '../../../src-main/store/probMapCodec.ts'
import { blobMaps } from './fixtures.ts'

const SIZE = 4 * 128 * 800

const cases: { name: string; maps: Uint8Array }[] = [
  { name: 'all zeros', maps: new Uint8Array(SIZE) },
  { name: 'all 255', maps: new Uint8Array(SIZE).fill(255) },
  { name: 'blobs on zeros', maps: blobMaps().mapsU8 },
  { name: 'every byte value', maps: Uint8Array.from({ length: SIZE }, (_, i) => (i * 2654435761) >>> 24) },
  { name: 'one byte', maps: Uint8Array.of(7) },
]

for (const codec of PROB_MAP_CODECS) {
  for (const { name, maps } of cases) {
    test(`${codec}: ${name} round-trips exactly`, () => {
      const packed = compressProbMaps(maps, codec)
      const back = decompressProbMaps(packed, codec, maps.length)
      assert.equal(back.length, maps.length)
      assert.ok(Buffer.from(back).equals(Buffer.from(maps)))
    })
  }
}

test('node 22 has zstd, so it is the default; realistic maps shrink well over 10×', () => {
  assert.equal(DEFAULT_PROB_MAP_CODEC, 'zstd')
  const packed = compressProbMaps(blobMaps().mapsU8)
  assert.ok(packed.length < SIZE / 10, `${packed.length} bytes`)
})

test('a blob that inflates to the wrong length is refused, saying so', () => {
  const maps = blobMaps().mapsU8
  for (const codec of PROB_MAP_CODECS) {
    const packed = compressProbMaps(maps, codec)
    assert.throws(() => decompressProbMaps(packed, codec, maps.length - 1), /do not decompress to 409599 bytes/)
    assert.throws(() => decompressProbMaps(packed, codec, maps.length + 1), /decompress to 409600 bytes, expected 409601/)
    assert.throws(() => decompressProbMaps(packed.subarray(0, 100), codec, maps.length), /probability maps/)
  }
})

test('an unknown codec name (e.g. from a newer database) is refused by name', () => {
  assert.throws(() => decompressProbMaps(Uint8Array.of(1), 'lz4' as never, 1), /unknown probability-map codec 'lz4'/)
})
