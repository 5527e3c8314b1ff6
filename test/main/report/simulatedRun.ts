// A database that looks like a real inspection of a synthetic coil folder: the synth generator's
// truth masks stand in for a model's output. Each image gets a gate probability, stage-2 maps at
// 128×800 made from its truth (2×2 coverage, a 3×3 blur and a little deterministic texture, so
// edges ramp and thresholds matter) and the model masks those maps give under the run's settings —
// written through the real store, exactly as the queue writes an inference result.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { APP_VERSION } from '../../../src-main/appInfo.ts'
import { scanSource } from '../../../src-main/queue/scanSource.ts'
import type { Store } from '../../../src-main/store/index.ts'
import { TRUTH_CSV, writeSynthFolder } from '../../../src-main/synth/index.ts'
import { thresholdToImageMasks } from '../../../src-shared/postprocess.ts'
import { decodeRle, encodeRle } from '../../../src-shared/rle.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'

export const SIM_CLASSES = [
  { id: 1, name: 'pitting', color: '#e6b800' },
  { id: 2, name: 'crazing', color: '#00a3d9' },
  { id: 3, name: 'scratches', color: '#e6006b' },
  { id: 4, name: 'patches', color: '#2eb82e' },
]
const POSTPROCESS = { upper: [0.7, 0.7, 0.7, 0.7], lower: [0.4, 0.5, 0.4, 0.5], minArea: [60, 120, 80, 300] }
const H = 256
const W = 1600
const MAP_H = 128
const MAP_W = 800

export interface SimulatedRun {
  readonly folder: string
  readonly sourceId: number
  readonly runId: number
}

export async function simulateRun(store: Store, folder: string, options: { count: number; seed: number }): Promise<SimulatedRun> {
  await writeSynthFolder(folder, { count: options.count, seed: options.seed, concurrency: 2 })
  const truth = parseSeverstalCsv(await readFile(join(folder, TRUTH_CSV), 'utf8'), TRUTH_CSV)
  const scan = await scanSource(store, folder)
  const modelSet = store.modelSets.ensure({
    manifestId: 'severstal-sim',
    version: '0.3.1',
    manifestSha256: sha256('severstal-sim manifest'),
    members: [
      { stage: 'classifier', file: 'cls-effb0-fold0.onnx', sha256: sha256('cls-effb0-fold0') },
      { stage: 'classifier', file: 'cls-effb3-fold1.onnx', sha256: sha256('cls-effb3-fold1') },
      { stage: 'segmenter', file: 'unetpp-effb3-fold0.onnx', sha256: sha256('unetpp-effb3-fold0') },
      { stage: 'segmenter', file: 'unetpp-effb3-fold1.onnx', sha256: sha256('unetpp-effb3-fold1') },
    ],
    classes: SIM_CLASSES,
  })
  const run = store.runs.create({ modelSetId: modelSet.id, postprocess: POSTPROCESS, gateThreshold: 0.5, tta: ['none', 'hflip'], providerRequested: 'auto', appVersion: APP_VERSION })
  store.runs.recordProvider(run.id, { providerUsed: 'cpu', fallbackReason: 'CUDA provider not installed', ortVersion: '1.30.0' })
  const profile = { upper: POSTPROCESS.upper, lower: POSTPROCESS.lower, minAreaModelPx: POSTPROCESS.minArea }
  for (const image of scan.images) {
    const bytes = await readFile(join(folder, image.relativePath))
    const contentSha = createHash('sha256').update(bytes).digest('hex')
    const truthMasks = SIM_CLASSES.map((c) => truth.masks.find((m) => m.imageId === image.relativePath && m.classId === c.id)?.rle ?? '')
    const isDefective = truthMasks.some((rle) => rle !== '')
    const gateProbability = isDefective ? 0.82 + 0.17 * texture(image.id, 1) : 0.03 + 0.5 * texture(image.id, 2) ** 3
    const isGatedIn = gateProbability >= 0.5
    const mapsU8 = isGatedIn ? probMapsFromTruth(truthMasks, image.id) : null
    const masks = mapsU8 ? thresholdToImageMasks(mapsU8, { height: MAP_H, width: MAP_W }, { height: H, width: W }, profile) : null
    store.transaction(() => {
      store.images.recordContent(image.id, contentSha)
      store.predictions.save({
        runId: run.id,
        imageId: image.id,
        imageSha256: contentSha,
        gateProbability,
        gatePassed: isGatedIn,
        classStats: SIM_CLASSES.map((c, k) => ({
          classId: c.id,
          areaImagePx: masks?.[k].areaPx ?? 0,
          maxProbability: mapsU8 ? maxOf(mapsU8.subarray(k * MAP_H * MAP_W, (k + 1) * MAP_H * MAP_W)) / 255 : 0,
          disagreement: null,
        })),
        probMaps: mapsU8 && { height: MAP_H, width: MAP_W, classCount: SIM_CLASSES.length, mapsU8 },
        masks: SIM_CLASSES.map((c, k) => ({ classId: c.id, rle: masks && masks[k].areaPx > 0 ? encodeRle(masks[k].mask, H, W) : '' })),
      })
      store.images.markDone(image.id, { width: W, height: H })
    })
  }
  store.runs.setStatus(run.id, 'done')
  return { folder, sourceId: scan.source.id, runId: run.id }
}

/** K maps at 128×800, q = round(255·p), from truth masks at 256×1600. */
function probMapsFromTruth(truthRles: readonly string[], seed: number): Uint8Array {
  const maps = new Uint8Array(truthRles.length * MAP_H * MAP_W)
  truthRles.forEach((rle, k) => {
    const mask = decodeRle(rle, H, W)
    const coverage = new Float32Array(MAP_H * MAP_W)
    for (let y = 0; y < MAP_H; y++) {
      for (let x = 0; x < MAP_W; x++) {
        const i = 2 * y * W + 2 * x
        coverage[y * MAP_W + x] = (mask[i] + mask[i + 1] + mask[i + W] + mask[i + W + 1]) / 4
      }
    }
    // A class's confidence varies by image: some defects come out weak, near the thresholds.
    const peak = 0.72 + 0.27 * texture(seed, 10 + k)
    for (let y = 0; y < MAP_H; y++) {
      for (let x = 0; x < MAP_W; x++) {
        let sum = 0
        let n = 0
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy
            const xx = x + dx
            if (yy < 0 || yy >= MAP_H || xx < 0 || xx >= MAP_W) continue
            sum += coverage[yy * MAP_W + xx]
            n++
          }
        }
        const p = 0.02 + (peak - 0.02) * (sum / n) + 0.04 * (texture(seed * 7919 + k, y * MAP_W + x) - 0.5)
        maps[k * MAP_H * MAP_W + y * MAP_W + x] = Math.max(0, Math.min(255, Math.round(255 * p)))
      }
    }
  })
  return maps
}

/** A deterministic value in [0, 1) from two integers. */
function texture(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  h ^= h >>> 12
  return (h >>> 0) / 2 ** 32
}

function maxOf(values: Uint8Array): number {
  let max = 0
  for (const v of values) if (v > max) max = v
  return max
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
