// One side of a comparison: a run (by id) or a model set (by id, folder name or folder) on the
// source, each under a threshold profile — the one named after a colon, else the one applied to
// the run. A model set that has not run on the source is run when the caller allows it.
import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { profileLabel } from '../../src-shared/profileContent.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import { readManifest } from '../inference/manifestFile.ts'
import { profileForRun, resolveProfileRef } from '../review/profiles.ts'
import type { ModelSetRecord, RunRecord, SourceRecord, Store } from '../store/index.ts'

export type SideSpec = { readonly kind: 'run'; readonly runId: number; readonly profileRef?: string } | { readonly kind: 'set'; readonly set: string; readonly profileRef?: string }

export interface ResolvedSide {
  readonly spec: string
  readonly run: RunRecord
  readonly modelSet: ModelSetRecord
  readonly profile: ThresholdProfile
  /** e.g. "run 3 · default 1.0.0 · profile night v2". */
  readonly label: string
}

/** What a side needs beyond the store: where model sets live, and how to run one that has not run. */
export interface SideContext {
  readonly source: SourceRecord | null
  readonly modelRoots: readonly string[]
  /** Runs the set in `dir` over the source and returns the run id; absent: a missing run is an error. */
  readonly runSet?: (dir: string, source: SourceRecord) => Promise<number>
}

/** `12`, `12:strict`, `default`, `default:night@2`, `/path/to/set:loose`. */
export function parseSideSpec(text: string): SideSpec {
  const colon = text.lastIndexOf(':')
  const hasProfile = colon > 0 && !text.slice(colon + 1).includes('/')
  const target = hasProfile ? text.slice(0, colon) : text
  const profileRef = hasProfile ? text.slice(colon + 1) : undefined
  if (target === '' || profileRef === '') throw new Error(`"${text}": expected <run id>[:profile] or <model set>[:profile]`)
  return /^\d+$/.test(target) ? { kind: 'run', runId: Number(target), profileRef } : { kind: 'set', set: target, profileRef }
}

export async function resolveSide(store: Store, text: string, context: SideContext): Promise<ResolvedSide> {
  const spec = parseSideSpec(text)
  const run = spec.kind === 'run' ? requireRun(store, spec.runId) : await runOfSet(store, spec.set, context)
  const modelSet = store.modelSets.get(run.modelSetId)!
  const profile = spec.profileRef === undefined ? profileForRun(store, run.id) : resolveProfileRef(store, run, spec.profileRef)
  return { spec: text, run, modelSet, profile, label: `run ${run.id} · ${modelSet.manifestId} ${modelSet.version} · profile ${profileLabel(profile)}` }
}

function requireRun(store: Store, runId: number): RunRecord {
  const run = store.runs.get(runId)
  if (!run) throw new Error(`no run ${runId} in ${store.path}`)
  return run
}

async function runOfSet(store: Store, name: string, context: SideContext): Promise<RunRecord> {
  const { source } = context
  if (!source) throw new Error(`model set "${name}": say which source it is compared on (--source), or compare a run id`)
  const dir = findSetDir(name, context.modelRoots)
  if (!dir) {
    // A set known to the store by its manifest id, whose folder is elsewhere: its runs still count.
    const known = store.modelSets.list().filter((s) => s.manifestId === name).map((s) => s.manifestSha256)
    const run = known.map((sha) => latestRunOf(store, source.id, sha)).filter((r) => r !== undefined).sort((x, y) => x.id - y.id).at(-1)
    if (run) return run
  }
  if (!dir) throw new Error(`model set "${name}": no folder by that path or name (looked in ${context.modelRoots.join(', ')})`)
  const { sha256 } = await readManifest(dir)
  const found = latestRunOf(store, source.id, sha256)
  if (found) return found
  if (!context.runSet) {
    throw new Error(`model set "${name}" has not run on ${source.folderPath}; run it first: coilscope inspect ${source.folderPath} --models ${dir} --db ${store.path}`)
  }
  return requireRun(store, await context.runSet(dir, source))
}

/** The newest finished gated run of the set (its manifest byte for byte) on the source. */
function latestRunOf(store: Store, sourceId: number, manifestSha256: string): RunRecord | undefined {
  const sets = new Set(store.modelSets.list().filter((s) => s.manifestSha256 === manifestSha256).map((s) => s.id))
  return store.runs.list().filter((r) => r.sourceId === sourceId && sets.has(r.modelSetId) && r.kind === 'gated' && r.status === 'done').at(-1)
}

function findSetDir(name: string, roots: readonly string[]): string | null {
  const candidates = isAbsolute(name) || name.startsWith('.') ? [resolve(name)] : [resolve(name), ...roots.map((root) => join(root, name))]
  return candidates.find((dir) => existsSync(join(dir, 'manifest.json'))) ?? null
}
