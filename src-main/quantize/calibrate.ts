// Calibration: the images a set is quantized on, turned into model inputs by the pipeline's own
// pre-processing, and run through a copy of each member that shows its intermediate tensors as
// extra outputs. Ranges are the plain min/max over every calibration image.
import { createHash } from 'node:crypto'
import type { InputFormulation } from '../../src-shared/formulation.ts'
import { readRegularFile } from '../files/readRegularFile.ts'
import { floatValueInfo, readModel, valueInfoName, writeModel } from '../inference/onnxModel.ts'
import { openSession } from '../inference/session.ts'
import { decodeImage, type DecodedImage } from '../pipeline/decode.ts'
import { scanFolder } from '../pipeline/folder.ts'
import { BatchTensors } from '../pipeline/batchInputs.ts'
import { inputDims } from '../pipeline/modelInput.ts'
import type { TensorRange } from './qdqGraph.ts'
import { QuantizeError } from './qdqGraph.ts'

export interface ImageSample {
  readonly name: string
  readonly sha256: string
  readonly image: DecodedImage
}

export interface ImageFolder {
  readonly images: ImageSample[]
  /** Files that could not be used, and why. */
  readonly skipped: { readonly name: string; readonly reason: string }[]
  /** sha256 of the sorted images' own sha256s: which images these were. */
  readonly sha256: string
}

/** Up to `limit` images of a folder (by name), decoded; a bad file is skipped and named. */
export async function readImageFolder(dir: string, channels: 1 | 3, limit: number, role: string): Promise<ImageFolder> {
  let listing
  try {
    listing = await scanFolder(dir)
  } catch (error) {
    throw new QuantizeError(`${dir}: cannot read the ${role} folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  const entries = listing.entries.filter((e) => e.kind === 'image').sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit)
  const skipped = listing.entries.filter((e) => e.kind === 'error').map((e) => ({ name: e.name, reason: e.kind === 'error' ? e.reason : '' }))
  const images: ImageSample[] = []
  for (const entry of entries) {
    try {
      const bytes = await readRegularFile(entry.path)
      images.push({ name: entry.name, sha256: createHash('sha256').update(bytes).digest('hex'), image: await decodeImage(bytes, { channels }) })
    } catch (error) {
      skipped.push({ name: entry.name, reason: (error as Error).message })
    }
  }
  if (images.length === 0) throw new QuantizeError(`${dir}: no readable images in the ${role} folder${skipped.length ? ` (${skipped.length} unreadable: ${skipped[0].name}: ${skipped[0].reason})` : ''}`)
  const sha256 = createHash('sha256').update(images.map((i) => i.sha256).sort().join('\n')).digest('hex')
  return { images, skipped, sha256 }
}

/** One model input (batch of 1) per image, as the pipeline writes it for this input. */
export function modelInputs(images: readonly ImageSample[], spec: InputFormulation): { inputs: Float32Array[]; dims: number[] } {
  const dims = inputDims(spec, 1)
  const inputs = images.map(({ image }) => new BatchTensors([image], (length) => new Float32Array(length)).get(spec, [0]))
  return { inputs, dims }
}

export interface Calibration {
  readonly ranges: Map<string, TensorRange>
  /** The member's own (first) output for every input, for comparing the int8 member against. */
  readonly outputs: Float32Array[]
}

/** Runs a copy of the model that also outputs `tensors`, recording each one's min and max. */
export async function calibrate(bytes: Uint8Array, tensors: readonly string[], inputs: readonly Float32Array[], dims: readonly number[], threads: number): Promise<Calibration> {
  const model = readModel(bytes)
  const declared = new Set([...model.outputs, ...model.inputs].map(valueInfoName))
  for (const name of tensors) if (!declared.has(name)) model.outputs.push(floatValueInfo(name))
  const session = await openSession({ bytes: writeModel(model), file: 'calibration copy' }, { provider: 'cpu', threads })
  const ranges = new Map<string, TensorRange>()
  const outputs: Float32Array[] = []
  try {
    for (const input of inputs) {
      const values = await session.runAll(input, dims)
      outputs.push(values[0])
      session.outputs.forEach((output, i) => {
        if (!tensors.includes(output.name)) return
        let { min, max } = ranges.get(output.name) ?? { min: Infinity, max: -Infinity }
        for (const v of values[i]) {
          if (v < min) min = v
          if (v > max) max = v
        }
        ranges.set(output.name, { min, max })
      })
    }
  } finally {
    await session.release()
  }
  // The graph input is read by a quantizable node too: its range is that of the inputs themselves.
  for (const payload of model.inputs) {
    const name = valueInfoName(payload)
    if (!tensors.includes(name)) continue
    let min = Infinity
    let max = -Infinity
    for (const input of inputs) {
      for (const v of input) {
        if (v < min) min = v
        if (v > max) max = v
      }
    }
    ranges.set(name, { min, max })
  }
  return { ranges, outputs }
}
