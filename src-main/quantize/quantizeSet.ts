// `models quantize`: a float model set → a new int8 set beside it. Every member is calibrated on
// the given images, rewritten in QDQ form and checked against its float self; the set gets its own
// hashes and a manifest that records where it came from, how, and (with held-out images) its
// measured parity with the float set. The new folder appears whole or not at all, and an existing
// folder is never written into; what a killed quantize left beside it is cleared first.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { resolveMembers } from '../../src-shared/formulation.ts'
import type { Quantization } from '../../src-shared/quantizationSchema.ts'
import { readManifest, verifyMembers } from '../inference/manifestFile.ts'
import { modelInputs, readImageFolder, type ImageFolder } from './calibrate.ts'
import { measureParity } from './parity.ts'
import { describeRemovedPartial, partialFolderFor, removeStalePartials } from './partialFolders.ts'
import { QuantizeError } from './qdqGraph.ts'
import { quantizeMember, type MemberOutcome } from './quantizeMember.ts'

export interface QuantizeSetOptions {
  readonly setDir: string
  readonly calibrationDir: string
  readonly outDir: string
  readonly heldOutDir?: string
  readonly id?: string
  /** Calibration images used (the first by name). */
  readonly limit: number
  /** Held-out images used for parity (the first by name). */
  readonly heldOutLimit: number
  readonly weightBits: 7 | 8
  readonly maxWeightError: number
  readonly maxMeanDifference: number
  readonly threads: number
  readonly log: (line: string) => void
}

export interface QuantizeSetResult {
  readonly outDir: string
  readonly id: string
  readonly quantization: Quantization
  readonly skipped: { readonly name: string; readonly reason: string }[]
}

const FINGERPRINT = 'fingerprint.json'

export async function quantizeSet(options: QuantizeSetOptions): Promise<QuantizeSetResult> {
  const outDir = resolve(options.outDir)
  if (existsSync(outDir)) throw new QuantizeError(`${outDir} already exists; name a new folder (nothing there is replaced)`)
  const { manifest, sha256: manifestSha256 } = await readManifest(options.setDir)
  if (manifest.quantization) throw new QuantizeError(`${options.setDir}: already an int8 set (quantized from ${manifest.quantization.origin.id}); quantize the float set`)
  await verifyMembers(options.setDir, manifest)
  const calibration = await readImageFolder(options.calibrationDir, manifest.input.channels, options.limit, 'calibration')
  const heldOut = options.heldOutDir ? await readHeldOut(options.heldOutDir, manifest.input.channels, options.heldOutLimit, calibration) : null
  options.log(`calibrating on ${calibration.images.length} images from ${options.calibrationDir}`)

  for (const removed of await removeStalePartials(dirname(outDir))) options.log(describeRemovedPartial(removed))
  const partial = partialFolderFor(outDir, process.pid)
  await mkdir(dirname(outDir), { recursive: true })
  await mkdir(partial)
  try {
    const members: Quantization['members'] = []
    const originMembers: Quantization['origin']['members'] = []
    const hashes = new Map<string, string>()
    for (const stage of ['classifier', 'segmenter'] as const) {
      for (const member of resolveMembers(manifest, stage)) {
        const bytes = await readFile(join(options.setDir, member.file))
        originMembers.push({ file: member.file, sha256: sha256(bytes) })
        const { inputs, dims } = modelInputs(calibration.images, member.input)
        const outcome = await quantizeMember(bytes, inputs, dims, { activation: member.output.activation, weightBits: options.weightBits, maxWeightError: options.maxWeightError, maxMeanDifference: options.maxMeanDifference, threads: options.threads })
        options.log(describeOutcome(member.file, outcome))
        await writeFile(join(partial, member.file), outcome.bytes)
        hashes.set(member.file, sha256(outcome.bytes))
        members.push({ file: member.file, precision: outcome.precision, quantizedNodes: outcome.quantizedNodes, keptFp32: outcome.keptFp32, reason: outcome.reason, calibrationDifference: outcome.calibrationDifference })
      }
    }
    const quantization: Quantization = {
      method: `static QDQ: uint8 activations (min/max over the calibration images, through the pipeline's pre-processing), int8 weights symmetric per output channel (${options.weightBits} bits), int32 biases`,
      weightBits: options.weightBits,
      origin: { id: manifest.id, version: manifest.version, manifestSha256, members: originMembers },
      calibration: { images: calibration.images.length, sha256: calibration.sha256 },
      members,
    }
    const id = options.id ?? `${manifest.id}-int8`
    const manifestJson = newManifest(JSON.parse(await readFile(join(options.setDir, 'manifest.json'), 'utf8')), id, hashes, quantization)
    await writeFile(join(partial, 'manifest.json'), `${JSON.stringify(manifestJson, null, 2)}\n`)
    if (existsSync(join(options.setDir, FINGERPRINT))) await copyFile(join(options.setDir, FINGERPRINT), join(partial, FINGERPRINT))
    if (heldOut) {
      options.log(`measuring parity on ${heldOut.images.length} held-out images from ${options.heldOutDir}`)
      quantization.parity = await measureParity(options.setDir, partial, heldOut, options.heldOutDir!, options.threads)
      await writeFile(join(partial, 'manifest.json'), `${JSON.stringify(newManifest(manifestJson, id, hashes, quantization), null, 2)}\n`)
    }
    if (existsSync(outDir)) throw new QuantizeError(`${outDir} appeared while quantizing; nothing there was replaced`)
    await rename(partial, outDir)
    return { outDir, id, quantization, skipped: [...calibration.skipped, ...(heldOut?.skipped ?? [])] }
  } catch (error) {
    await rm(partial, { recursive: true, force: true })
    throw error
  }
}

async function readHeldOut(dir: string, channels: 1 | 3, limit: number, calibration: ImageFolder): Promise<ImageFolder> {
  const heldOut = await readImageFolder(dir, channels, limit, 'held-out')
  const calibrated = new Set(calibration.images.map((i) => i.sha256))
  const shared = heldOut.images.filter((i) => calibrated.has(i.sha256))
  if (shared.length > 0) throw new QuantizeError(`${dir}: ${shared.length} held-out images are also calibration images (e.g. ${shared[0].name}); parity needs images the calibration never saw`)
  return heldOut
}

/** The float set's manifest, as it was written, with the new id, hashes and quantization record. */
function newManifest(original: Record<string, unknown>, id: string, hashes: Map<string, string>, quantization: Quantization): Record<string, unknown> {
  const withHashes = (stage: unknown) => {
    if (!stage || typeof stage !== 'object') return stage
    const s = stage as { members: { file: string }[] }
    return { ...s, members: s.members.map((m) => ({ ...m, sha256: hashes.get(m.file) })) }
  }
  return {
    ...original,
    schemaVersion: 2,
    id,
    name: String(original.name).endsWith(' (int8)') ? original.name : `${original.name} (int8)`,
    classifier: withHashes(original.classifier),
    segmenter: withHashes(original.segmenter),
    quantization,
  }
}

function describeOutcome(file: string, outcome: MemberOutcome): string {
  const diff = outcome.calibrationDifference ? `; |Δp| on calibration: mean ${outcome.calibrationDifference.mean.toFixed(5)}, max ${outcome.calibrationDifference.max.toFixed(4)}` : ''
  if (outcome.precision === 'fp32') return `${file}: kept fp32 — ${outcome.reason}${diff}`
  const kept = outcome.keptFp32.map((k) => `\n  kept fp32: ${k.node} — ${k.reason}`).join('')
  return `${file}: ${outcome.precision}, ${outcome.quantizedNodes} nodes quantized${diff}${kept}`
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
