// Loads a model set folder: validates the manifest, verifies member hashes, opens one session per
// member under one provider decision, and checks each member's real signature before any image runs.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { parseManifest, type ManifestMember, type ModelManifest } from '../../src-shared/manifest.ts'
import { checkMemberSignature, type StageName } from './memberCheck.ts'
import { withProvider, type ProviderChoice, type ProviderDecision } from './provider.ts'
import { openSession, type ExecutionProvider, type ModelSession } from './session.ts'

/** A model set that cannot be used; the message is meant for the user as it is. */
export class ModelSetError extends Error {}

export interface LoadedModelSet {
  readonly dir: string
  readonly manifest: ModelManifest
  readonly manifestSha256: string
  /** Empty when the set has no classifier stage (every image is segmented). */
  readonly classifiers: readonly ModelSession[]
  readonly segmenters: readonly ModelSession[]
  readonly provider: ProviderDecision
  readonly threads: number
  release(): Promise<void>
}

export interface LoadOptions {
  readonly provider?: ProviderChoice
  /** Threads per session; defaults to the machine's cores. */
  readonly threads?: number
}

/** Reads and validates `<dir>/manifest.json` without opening any model. */
export async function readManifest(dir: string): Promise<{ manifest: ModelManifest; sha256: string }> {
  const file = join(dir, 'manifest.json')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ModelSetError(`${file}: cannot read the manifest (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  const result = parseManifest(text, file)
  if (!result.ok) throw new ModelSetError(result.errors.join('\n'))
  return { manifest: result.manifest, sha256: sha256(Buffer.from(text)) }
}

/** Verifies that every member file exists and matches its manifest sha256. */
export async function verifyMembers(dir: string, manifest: ModelManifest): Promise<void> {
  for (const { member } of stageMembers(manifest)) {
    const file = join(dir, member.file)
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch (error) {
      throw new ModelSetError(`${file}: cannot read the model (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    if (member.sha256 && sha256(bytes) !== member.sha256) {
      throw new ModelSetError(`${file}: sha256 is ${sha256(bytes)}, the manifest says ${member.sha256}`)
    }
  }
}

export async function loadModelSet(dir: string, options: LoadOptions = {}): Promise<LoadedModelSet> {
  const { manifest, sha256: manifestSha256 } = await readManifest(dir)
  await verifyMembers(dir, manifest)
  const threads = options.threads ?? availableParallelism()
  const { value: sessions, decision } = await withProvider(options.provider ?? 'auto', (provider) =>
    openAll(dir, manifest, provider, threads),
  )
  const classifiers = sessions.filter((s) => s.stage === 'classifier').map((s) => s.session)
  const segmenters = sessions.filter((s) => s.stage === 'segmenter').map((s) => s.session)
  return {
    dir,
    manifest,
    manifestSha256,
    classifiers,
    segmenters,
    provider: decision,
    threads,
    release: async () => {
      await Promise.all(sessions.map((s) => s.session.release()))
    },
  }
}

type StagedSession = { stage: StageName; session: ModelSession }

async function openAll(dir: string, manifest: ModelManifest, provider: ExecutionProvider, threads: number): Promise<StagedSession[]> {
  const opened: StagedSession[] = []
  try {
    for (const { stage, member } of stageMembers(manifest)) {
      const file = join(dir, member.file)
      const session = await openSession(file, { provider, threads })
      opened.push({ stage, session })
      const problem = checkMemberSignature(file, stage, session.inputs, session.outputs, manifest)
      if (problem) throw new ModelSetError(problem)
    }
    return opened
  } catch (error) {
    await Promise.all(opened.map((s) => s.session.release()))
    throw error
  }
}

function stageMembers(manifest: ModelManifest): { stage: StageName; member: ManifestMember }[] {
  const classifier = manifest.classifier?.members ?? []
  return [
    ...classifier.map((member) => ({ stage: 'classifier' as const, member })),
    ...manifest.segmenter.members.map((member) => ({ stage: 'segmenter' as const, member })),
  ]
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
