// Runs the float set and its int8 set side by side on held-out images, through the whole pipeline
// (gate, segmenters, post-processing), and records how far apart they are (parityTally.ts).
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Parity } from '../../src-shared/quantizationSchema.ts'
import { parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'
import { loadModelSet, type LoadedModelSet } from '../inference/index.ts'
import { Inspector } from '../pipeline/inspector.ts'
import type { ImageFolder } from './calibrate.ts'
import { ParityTally, type SetResult } from './parityTally.ts'

export async function measureParity(fp32Dir: string, int8Dir: string, heldOut: ImageFolder, heldOutDir: string, threads: number): Promise<Parity> {
  const sets: LoadedModelSet[] = []
  try {
    for (const dir of [fp32Dir, int8Dir]) sets.push(await loadModelSet(dir, { provider: 'cpu', threads }))
    const [fp32, int8] = sets.map((set) => new Inspector(set))
    const { manifest } = sets[0]
    const tally = new ParityTally(manifest.classes.length, manifest.input.height * manifest.input.width)
    const resultOf = async (inspector: Inspector, image: ImageFolder['images'][number]['image']): Promise<SetResult> => {
      const { inspections, failures } = await inspector.inspectBatch([image])
      if (failures[0]) throw new Error(failures[0])
      return { maps: inspections[0].probMapsU8, rles: inspections[0].classes.map((c) => c.rle) }
    }
    for (const sample of heldOut.images) tally.add(sample.name, await resultOf(fp32, sample.image), await resultOf(int8, sample.image))
    const truthFile = join(heldOutDir, 'truth.csv')
    const names = new Set(heldOut.images.map((i) => i.name))
    const truth = existsSync(truthFile) ? parseSeverstalCsv(await readFile(truthFile, 'utf8'), truthFile, { imageSize: manifest.imageSize }).masks.filter((m) => names.has(m.imageId)) : null
    return tally.finish(heldOut.sha256, new Date().toISOString(), truth)
  } finally {
    await Promise.all(sets.map((s) => s.release()))
  }
}
