// Compresses the uint8 probability maps for storage. zstd level 1 is the default: on realistic maps
// (4×128×800, mostly zeros with a few blobs) it compressed fastest and smallest among deflate-1,
// brotli-1 and zstd-1 (measured by test/main/store/probMapCodec.bench.ts). Node gained zstd in 22.15;
// on an older runtime we fall back to raw deflate. Each blob is stored with its codec's name, so
// either one always decodes.
import zlib from 'node:zlib'

export const PROB_MAP_CODECS = ['zstd', 'deflate-raw'] as const
export type ProbMapCodec = (typeof PROB_MAP_CODECS)[number]

interface Codec {
  readonly compress: (raw: Uint8Array) => Buffer
  readonly decompress: (packed: Uint8Array, maxOutputLength: number) => Buffer
}

const CODECS: Record<ProbMapCodec, Codec> = {
  zstd: {
    compress: (raw) => zlib.zstdCompressSync(raw, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } }),
    decompress: (packed, maxOutputLength) => zlib.zstdDecompressSync(packed, { maxOutputLength }),
  },
  'deflate-raw': {
    compress: (raw) => zlib.deflateRawSync(raw, { level: 1 }),
    decompress: (packed, maxOutputLength) => zlib.inflateRawSync(packed, { maxOutputLength }),
  },
}

export const DEFAULT_PROB_MAP_CODEC: ProbMapCodec = typeof zlib.zstdCompressSync === 'function' ? 'zstd' : 'deflate-raw'

export function compressProbMaps(mapsU8: Uint8Array, codec: ProbMapCodec = DEFAULT_PROB_MAP_CODEC): Uint8Array {
  return CODECS[codec].compress(mapsU8)
}

/** `expectedLength` is H·W·K: a blob that inflates to anything else is corrupt, and is refused. */
export function decompressProbMaps(packed: Uint8Array, codec: ProbMapCodec, expectedLength: number): Uint8Array {
  const known = CODECS[codec]
  if (!known) throw new Error(`unknown probability-map codec '${codec}'`)
  let raw: Buffer
  try {
    raw = known.decompress(packed, Math.max(expectedLength, 1))
  } catch (error) {
    throw new Error(`probability maps (${codec}) do not decompress to ${expectedLength} bytes: ${(error as Error).message}`)
  }
  if (raw.length !== expectedLength) throw new Error(`probability maps decompress to ${raw.length} bytes, expected ${expectedLength}`)
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.length)
}
