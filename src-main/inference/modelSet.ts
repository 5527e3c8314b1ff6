// Loads a model set folder: validates the manifest, verifies member hashes, opens each stage as one
// merged session (or one session per member) under one provider decision, and checks each member's
// real signature before any image runs.
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { inputKey, resolveMembers, type MemberFormulation } from '../../src-shared/formulation.ts'
import type { ModelManifest } from '../../src-shared/manifest.ts'
import { readRegularFile } from '../files/readRegularFile.ts'
import { ModelSetError, readManifest, verifyMembers } from './manifestFile.ts'
import { mergeModels } from './mergeModels.ts'
import { checkMemberSignature, type StageName } from './memberCheck.ts'
import type { ModelDescription } from './onnxGraph.ts'
import { withProvider, type ProviderChoice, type ProviderDecision } from './provider.ts'
import { openSession, type ModelSession, type SessionOptions, type TensorSignature } from './session.ts'

export interface LoadedModelSet {
  readonly dir: string
  readonly manifest: ModelManifest
  readonly manifestSha256: string
  /** Each stage's members as resolved from the manifest, in manifest order. */
  readonly formulations: { readonly classifier: readonly MemberFormulation[]; readonly segmenter: readonly MemberFormulation[] }
  /** What each member's file says about itself, by file name. */
  readonly descriptions: Readonly<Record<string, ModelDescription>>
  /**
   * Sessions of each stage; together their outputs are the members' outputs in manifest order (a
   * merged stage is one session with one output per member). Empty when the set has no
   * classifier stage (every image is segmented).
   */
  readonly classifiers: readonly ModelSession[]
  readonly segmenters: readonly ModelSession[]
  readonly provider: ProviderDecision
  readonly threads: number
  /** Per stage: null when its members run in one merged session, else why they do not. */
  readonly unmerged: { readonly classifier: string | null; readonly segmenter: string | null }
  /** Milliseconds spent checking the members' hashes, and opening (and merging) the sessions. */
  readonly loadMs: { readonly verify: number; readonly open: number }
  release(): Promise<void>
}

export interface LoadOptions {
  readonly provider?: ProviderChoice
  /** Threads per session; defaults to the machine's cores. */
  readonly threads?: number
  /**
   * Run the members of a stage as one merged ONNX graph in one session (default true). The
   * probabilities are bit-for-bit those of separate sessions; a stage that cannot be merged
   * safely is opened member by member.
   */
  readonly merge?: boolean
  /** Let idle onnxruntime pool threads spin (default false: they sleep, leaving the cores to others). */
  readonly spinning?: boolean
  /** onnxruntime's memory pattern (default: off on the CPU); see SessionOptions. */
  readonly memoryPattern?: boolean
}

export async function loadModelSet(dir: string, options: LoadOptions = {}): Promise<LoadedModelSet> {
  const { manifest, sha256: manifestSha256 } = await readManifest(dir)
  const merge = options.merge ?? true
  const started = performance.now()
  const descriptions = await verifyMembers(dir, manifest)
  const formulations = { classifier: resolveMembers(manifest, 'classifier'), segmenter: resolveMembers(manifest, 'segmenter') }
  const verified = performance.now()
  const threads = options.threads ?? availableParallelism()
  const unmerged: Record<StageName, string | null> = { classifier: null, segmenter: null }
  const { value: sessions, decision } = await withProvider(options.provider ?? 'auto', (provider) =>
    openAll(dir, formulations, descriptions, { provider, threads, spinning: options.spinning, memoryPattern: options.memoryPattern }, merge, unmerged),
  )
  const loadMs = { verify: verified - started, open: performance.now() - verified }
  const classifiers = sessions.filter((s) => s.stage === 'classifier').map((s) => s.session)
  const segmenters = sessions.filter((s) => s.stage === 'segmenter').map((s) => s.session)
  return {
    dir,
    manifest,
    manifestSha256,
    formulations,
    descriptions,
    classifiers,
    segmenters,
    provider: decision,
    threads,
    unmerged,
    loadMs,
    release: async () => {
      await Promise.all(sessions.map((s) => s.session.release()))
    },
  }
}

type StagedSession = { stage: StageName; session: ModelSession }

async function openAll(
  dir: string,
  formulations: Record<StageName, readonly MemberFormulation[]>,
  descriptions: Record<string, ModelDescription>,
  sessionOptions: SessionOptions,
  merge: boolean,
  unmerged: Record<StageName, string | null>,
): Promise<StagedSession[]> {
  const opened: StagedSession[] = []
  try {
    for (const stage of ['classifier', 'segmenter'] as const) {
      const members = formulations[stage]
      if (members.length === 0) continue
      const check = (m: MemberFormulation, inputs: readonly TensorSignature[], outputs: readonly TensorSignature[]) =>
        checkMemberSignature(join(dir, m.file), stage, inputs, outputs, m, descriptions[m.file]?.finalOperators[outputs[0]?.name] ?? null)
      // Members read one shared input only when they take the same input.
      const sharedInput = members.every((m) => inputKey(m.input) === inputKey(members[0].input))
      // A member read by output name (several outputs) keeps its own session.
      const named = members.some((m) => m.outputName !== null)
      const canMerge = merge && members.length > 1 && sharedInput && !named
      const merged = canMerge ? await openMerged(dir, members, check, sessionOptions) : null
      unmerged[stage] = !merge
        ? 'merging is off'
        : members.length < 2
          ? 'one member'
          : !sharedInput
            ? 'the members take different inputs'
            : named
              ? 'a member is read by output name'
              : typeof merged === 'string'
                ? merged
                : null
      if (merged && typeof merged !== 'string') {
        opened.push({ stage, session: merged })
        continue
      }
      const problems: string[] = []
      for (const member of members) {
        // verifyMembers saw a regular file here
        const session = await openSession(join(dir, member.file), { ...sessionOptions, ...(member.outputName ? { outputNames: [member.outputName] } : {}) })
        opened.push({ stage, session })
        const problem = check(member, session.inputs, session.outputs)
        if (problem) problems.push(problem)
      }
      if (problems.length > 0) throw new ModelSetError(problems.join('\n'))
    }
    return opened
  } catch (error) {
    await Promise.all(opened.map((s) => s.session.release()))
    throw error
  }
}

type MemberCheck = (member: MemberFormulation, inputs: readonly TensorSignature[], outputs: readonly TensorSignature[]) => string | null

/**
 * One session for all of a stage's members, or the reason it cannot be had. Every member's own
 * signature is checked first; a member that does not fit is left to the member-by-member path,
 * which refuses it with the usual message.
 */
async function openMerged(dir: string, members: readonly MemberFormulation[], check: MemberCheck, sessionOptions: SessionOptions): Promise<ModelSession | string> {
  const files = members.map((m) => join(dir, m.file))
  // Read again, stage by stage, so that only one stage's bytes are held at a time (they were
  // verified above, as the member-by-member path lets onnxruntime read the files again too).
  const merged = mergeModels(await Promise.all(files.map((file) => readRegularFile(file))))
  if (!merged.ok) return merged.reason
  for (let i = 0; i < files.length; i++) {
    const { inputs, outputs } = merged.members[i]
    if (check(members[i], inputs, outputs)) return `${files[i]} does not fit the manifest`
  }
  let session: ModelSession
  try {
    session = await openSession({ bytes: merged.bytes, file: files.join(' + ') }, sessionOptions)
  } catch (error) {
    // A CUDA failure is the provider's business (withProvider decides); anything else falls back.
    if (sessionOptions.provider === 'cuda') throw error
    return `onnxruntime refused the merged graph: ${(error as Error).message.split('\n')[0]}`
  }
  const fits =
    session.inputs.length === 1 &&
    session.outputs.length === files.length &&
    session.outputs.every((output, i) => output.name === merged.outputNames[i] && !check({ ...members[i] }, session.inputs, [{ ...output, name: merged.members[i].outputs[0].name }]))
  if (fits) return session
  await session.release()
  return 'the merged session does not show one output per member'
}
