// A model set's manifest and member files as files: read, validated and hashed, without opening a
// model — so the main process can read manifests without loading onnxruntime.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { parseManifest, type ManifestMember, type ModelManifest } from '../../src-shared/manifest.ts'
import { NotRegularFileError, readRegularFile } from '../files/readRegularFile.ts'
import type { StageName } from './memberCheck.ts'
import { describeModel, type ModelDescription } from './onnxGraph.ts'

/** A model set that cannot be used; the message is meant for the user as it is. */
export class ModelSetError extends Error {}

/** Reads and validates `<dir>/manifest.json` without opening any model. */
export async function readManifest(dir: string): Promise<{ manifest: ModelManifest; sha256: string }> {
  const file = join(dir, 'manifest.json')
  let text: string
  try {
    text = (await readRegularFile(file)).toString('utf8')
  } catch (error) {
    throw new ModelSetError(`${file}: cannot read the manifest (${readProblem(error)})`)
  }
  const result = parseManifest(text, file)
  if (!result.ok) throw new ModelSetError(result.errors.join('\n'))
  return { manifest: result.manifest, sha256: sha256(Buffer.from(text)) }
}

/**
 * Verifies that every member file exists and matches its manifest sha256, and reads what each
 * says about itself (inputs, outputs, final operators), by file name.
 */
export async function verifyMembers(dir: string, manifest: ModelManifest): Promise<Record<string, ModelDescription>> {
  const descriptions: Record<string, ModelDescription> = {}
  // Every member is checked, so that the user sees every problem at once.
  const problems: string[] = []
  for (const { member } of stageMembers(manifest)) {
    const file = join(dir, member.file)
    let bytes: Buffer
    try {
      bytes = await readRegularFile(file)
    } catch (error) {
      problems.push(`${file}: cannot read the model (${readProblem(error)})`)
      continue
    }
    if (member.sha256 && sha256(bytes) !== member.sha256) {
      problems.push(`${file}: sha256 is ${sha256(bytes)}, the manifest says ${member.sha256}`)
      continue
    }
    try {
      descriptions[member.file] = describeModel(bytes)
    } catch (error) {
      problems.push(`${file}: not a readable ONNX model (${(error as Error).message})`)
    }
  }
  if (problems.length > 0) throw new ModelSetError(problems.join('\n'))
  return descriptions
}

export function stageMembers(manifest: ModelManifest): { stage: StageName; member: ManifestMember }[] {
  const classifier = manifest.classifier?.members ?? []
  return [
    ...classifier.map((member) => ({ stage: 'classifier' as const, member })),
    ...manifest.segmenter.members.map((member) => ({ stage: 'segmenter' as const, member })),
  ]
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function readProblem(error: unknown): string {
  if (error instanceof NotRegularFileError) return `not a regular file: ${error.kind}`
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message
}
