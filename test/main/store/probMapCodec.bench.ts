// Measures the probability-map codecs on realistic stage-2 output: 4×128×800 uint8 maps, mostly 0,
// a faint sigmoid floor (1–3) over a share of pixels, and a few blobs whose centres sit at 200–255
// with smooth edges. Not a test; run by hand:
//   node_modules/.bin/node test/main/store/probMapCodec.bench.ts
import zlib from 'node:zlib'

const K = 4
const H = 128
const W = 800

function realisticMaps(seed: number, floorShare: number): Uint8Array {
  let state = seed
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 4294967296)
  const maps = new Uint8Array(K * H * W)
  for (let i = 0; i < maps.length; i++) if (random() < floorShare) maps[i] = 1 + Math.floor(random() * 3)
  const blobs = 2 + Math.floor(random() * 5)
  for (let b = 0; b < blobs; b++) {
    const c = Math.floor(random() * K)
    const cy = random() * H
    const cx = random() * W
    const ry = 4 + random() * 24
    const rx = 10 + random() * 120
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = Math.sqrt(((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2)
        if (d > 2) continue
        const p = 1 / (1 + Math.exp(-8 * (1 - d))) - 0.1 * random() // edge falls off like a sigmoid; a little texture
        const q = Math.max(0, Math.round(255 * p))
        const at = c * H * W + y * W + x
        if (q > maps[at]) maps[at] = q
      }
    }
  }
  return maps
}

const CODECS: Record<string, [(raw: Uint8Array) => Buffer, (packed: Buffer) => Buffer]> = {
  'deflate-raw level 1': [(raw) => zlib.deflateRawSync(raw, { level: 1 }), (packed) => zlib.inflateRawSync(packed)],
  'deflate-raw level 6': [(raw) => zlib.deflateRawSync(raw, { level: 6 }), (packed) => zlib.inflateRawSync(packed)],
  'brotli quality 1': [
    (raw) => zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    (packed) => zlib.brotliDecompressSync(packed),
  ],
  'zstd level 1': [
    (raw) => zlib.zstdCompressSync(raw, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } }),
    (packed) => zlib.zstdDecompressSync(packed),
  ],
  'zstd level 3': [
    (raw) => zlib.zstdCompressSync(raw, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 3 } }),
    (packed) => zlib.zstdDecompressSync(packed),
  ],
}

const ROUNDS = 400
for (const floorShare of [0.02, 0.3]) {
  const sets = Array.from({ length: 40 }, (_, i) => realisticMaps(i + 1, floorShare))
  console.log(`\n${sets.length} map sets of ${K * H * W} bytes, faint floor on ${floorShare * 100}% of pixels, ${ROUNDS} rounds each`)
  for (const [name, [compress, decompress]] of Object.entries(CODECS)) {
    for (const set of sets.slice(0, 10)) decompress(compress(set)) // warm up
    let compressNs = 0n
    let decompressNs = 0n
    let bytes = 0
    for (let i = 0; i < ROUNDS; i++) {
      const set = sets[i % sets.length]
      const t0 = process.hrtime.bigint()
      const packed = compress(set)
      const t1 = process.hrtime.bigint()
      const back = decompress(packed)
      decompressNs += process.hrtime.bigint() - t1
      compressNs += t1 - t0
      bytes += packed.length
      if (!back.equals(set)) throw new Error(`${name} did not round-trip`)
    }
    const ms = (ns: bigint) => (Number(ns) / ROUNDS / 1e6).toFixed(2).padStart(5)
    console.log(`${name.padEnd(20)} compress ${ms(compressNs)} ms  decompress ${ms(decompressNs)} ms  size ${String(Math.round(bytes / ROUNDS)).padStart(6)} B`)
  }
}
