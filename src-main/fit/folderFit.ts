// The fit check's I/O: a folder's images reduced to their fit features (an even sample of them),
// and a model set's fingerprint.json read and written beside its manifest.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkFit, summarise, type FitReport, type Fingerprint, type ImageFeatures, imageFeatures } from '../../src-shared/imageFit.ts'
import { readRegularFile } from '../files/readRegularFile.ts'
import { decodeImage } from '../pipeline/decode.ts'
import { scanFolder } from '../pipeline/folder.ts'

export const FINGERPRINT_FILE = 'fingerprint.json'

/** Features of up to `limit` images of the folder, spread evenly over it; unreadable images are left out. */
export async function folderFeatures(dir: string, limit = 48): Promise<ImageFeatures[]> {
  const images = (await scanFolder(dir)).entries.filter((e) => e.kind === 'image')
  const step = Math.max(1, images.length / limit)
  const picked = Array.from({ length: Math.min(limit, images.length) }, (_, i) => images[Math.floor(i * step)])
  const features: ImageFeatures[] = []
  for (const entry of picked) {
    try {
      const image = await decodeImage(await readRegularFile(entry.path), { channels: 1 })
      features.push(imageFeatures(image.pixels, image.height, image.width))
    } catch {
      // A corrupt image fails in the run itself, with its reason; the fit check uses the rest.
    }
  }
  return features
}

/** The set's fingerprint, or null when it has none. */
export async function readFingerprint(setDir: string): Promise<Fingerprint | null> {
  let text: string
  try {
    text = await readFile(join(setDir, FINGERPRINT_FILE), 'utf8')
  } catch {
    return null
  }
  const fingerprint = JSON.parse(text) as Fingerprint
  if (fingerprint.schema !== 1) throw new Error(`${join(setDir, FINGERPRINT_FILE)}: unknown schema ${String(fingerprint.schema)}`)
  return fingerprint
}

/** Summarises the training images in `imagesDir` and writes the set's fingerprint.json. */
export async function writeFingerprint(setDir: string, imagesDir: string, source: string, limit = 400): Promise<Fingerprint> {
  const fingerprint = summarise(await folderFeatures(imagesDir, limit), source)
  await writeFile(join(setDir, FINGERPRINT_FILE), `${JSON.stringify(fingerprint, null, 2)}\n`)
  return fingerprint
}

/** The fit of a folder to a set, or null when the set has no fingerprint. */
export async function folderFit(setDir: string, imagesDir: string): Promise<FitReport | null> {
  const fingerprint = await readFingerprint(setDir)
  return fingerprint ? checkFit(await folderFeatures(imagesDir), fingerprint) : null
}
