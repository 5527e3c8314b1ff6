// Shared setup for store tests: a fresh :memory: store with a pinned clock, and the rows most
// tests need (a source, an image, a model set, a run).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type ProbMaps, type Store } from '../../../src-main/store/index.ts'

export const SHA_A = 'a'.repeat(64)
export const SHA_B = 'b'.repeat(64)

/** A store whose clock ticks 1 ms per call from a fixed start. */
export function memoryStore(): Store {
  let t = 1_700_000_000_000
  return openStore(':memory:', { now: () => t++ })
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'coilscope-store-')), 'coilscope.db')
}

export function seed(store: Store) {
  const source = store.sources.ensure('/data/coils')
  const { image } = store.images.upsert({ sourceId: source.id, relativePath: 'a.jpg', byteSize: 1000, mtimeMs: 5, sha256: SHA_A })
  const modelSet = store.modelSets.ensure({
    manifestId: 'severstal-demo',
    version: '1.0.0',
    manifestSha256: 'c'.repeat(64),
    members: [{ stage: 'segmenter', file: 'seg.onnx', sha256: 'd'.repeat(64) }],
    classes: [1, 2, 3, 4].map((id) => ({ id, name: `class ${id}`, color: '#ffffff' })),
  })
  const run = store.runs.create({
    sourceId: source.id,
    modelSetId: modelSet.id,
    postprocess: { upper: [0.7, 0.7, 0.7, 0.7], lower: [0.4, 0.5, 0.4, 0.5], minArea: [180, 260, 200, 500] },
    gateThreshold: 0.8,
    tta: ['none'],
    providerRequested: 'auto',
    appVersion: '0.1.0',
  })
  return { source, image, modelSet, run }
}

/** K maps of H×W: zeros with one bright rectangle per class, deterministic. */
export function blobMaps(classCount = 4, height = 128, width = 800): ProbMaps {
  const mapsU8 = new Uint8Array(classCount * height * width)
  for (let c = 0; c < classCount; c++) {
    const top = 10 + 20 * c
    const left = 50 + 150 * c
    for (let y = top; y < top + 30; y++) {
      for (let x = left; x < left + 90; x++) mapsU8[c * height * width + y * width + x] = 200 + ((x * 7 + y * 13 + c) % 56)
    }
  }
  return { height, width, classCount, mapsU8 }
}
