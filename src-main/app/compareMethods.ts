// The comparison methods over the store: compare two sides of a source (a model set the app knows
// that has not run there is run through the app's queue first), one image's masks on both sides
// for the overlay, and the source's model-set decisions. A side naming a folder must be one of the
// app's model sets: the renderer is not trusted with the file system.
import { resolve } from 'node:path'
import type { CompareApiMethods, CompareView, SourceModelDecisionView } from '../../src-shared/compareTypes.ts'
import type { ProviderChoice } from '../../src-shared/apiTypes.ts'
import { encodeRle } from '../../src-shared/rle.ts'
import { compareSides, parseSideSpec, resolveSide, type CompareResult, type SideContext } from '../compare/index.ts'
import { modelMasks } from '../compare/pairCounts.ts'
import type { JobQueue } from '../queue/index.ts'
import type { SourceModelDecisionRecord, SourceRecord, Store } from '../store/index.ts'
import { UserError } from './sources.ts'

export interface CompareMethodsOptions {
  readonly store: Store
  readonly queue: JobQueue
  readonly author: () => string
  /** Folders of the model sets the app knows (valid ones). */
  readonly modelSetDirs: () => Promise<readonly string[]>
  readonly provider: () => ProviderChoice
}

const RANKED_IMAGES = 500
const SEED = 20260101

export function createCompareMethods({ store, queue, author, modelSetDirs, provider }: CompareMethodsOptions): CompareApiMethods {
  const context = async (sourceId: number, sides: readonly string[]): Promise<SideContext & { source: SourceRecord }> => {
    const source = store.sources.get(sourceId)
    if (!source) throw new UserError(`no source ${sourceId}`)
    const known = await modelSetDirs()
    for (const side of sides) {
      const spec = parseSideSpec(side)
      if (spec.kind === 'set' && !known.includes(resolve(spec.set))) throw new UserError(`${spec.set} is not one of the app's model sets`)
    }
    return { source, modelRoots: [], runSet: (dir, on) => runSet(dir, on) }
  }
  const runSet = async (modelsDir: string, source: SourceRecord): Promise<number> => {
    const { id } = queue.enqueue({ folder: source.folderPath, modelsDir, provider: provider() })
    await queue.idle()
    const job = queue.get(id)!
    if (job.state !== 'done' || job.runId === null) throw new UserError(`running ${modelsDir} on ${source.folderPath} failed: ${job.message ?? job.state}`)
    return job.runId
  }
  const compare = async (sourceId: number, a: string, b: string): Promise<CompareResult> => {
    const { source, ...rest } = await context(sourceId, [a, b])
    try {
      return await compareSides(store, { a, b, source, truth: 'auto', seed: SEED, resamples: 1000, modelRoots: rest.modelRoots, runSet: rest.runSet })
    } catch (error) {
      throw error instanceof UserError ? error : new UserError((error as Error).message)
    }
  }

  return {
    compareRuns: async ({ sourceId, a, b }) => toView(await compare(sourceId, a, b)),
    getCompareImage: async ({ sourceId, a, b, imageId }) => {
      const ctx = await context(sourceId, [a, b])
      const [sa, sb] = [await resolveSide(store, a, ctx), await resolveSide(store, b, ctx)]
      const image = store.images.get(imageId)
      const pa = store.predictions.get(sa.run.id, imageId)
      const pb = store.predictions.get(sb.run.id, imageId)
      if (!image || image.sourceId !== sourceId || !pa || !pb || image.height === null || image.width === null) throw new UserError(`image ${imageId} has no result on both sides`)
      const size = { height: image.height, width: image.width }
      const classIds = sa.modelSet.classes.map((c) => c.id)
      const masksA = modelMasks(store, pa, size, classIds.length, sa.profile)
      const masksB = modelMasks(store, pb, size, classIds.length, sb.profile)
      return {
        imageId, name: image.relativePath, height: size.height, width: size.width,
        classes: classIds.map((classId, c) => ({ classId, rleA: encodeRle(masksA[c], size.height, size.width), rleB: encodeRle(masksB[c], size.height, size.width) })),
      }
    },
    decideSourceModelSet: async ({ sourceId, a, b, note }) => {
      const result = await compare(sourceId, a, b)
      const truth = result.comparison.truth
      const record = store.sourceModels.decide({
        sourceId, modelSetId: result.b.modelSet.id, runId: result.b.run.id, comparedRunId: result.a.run.id,
        profileId: result.b.profile.version === undefined ? null : (store.profiles.find(result.b.profile.name, result.b.profile.version)?.id ?? null),
        summary: {
          a: result.a.label, b: result.b.label, images: result.comparison.images, truth: result.truth.description,
          meanDiceA: truth?.meanDiceA ?? null, meanDiceB: truth?.meanDiceB ?? null,
          meanDiceDiff: truth?.meanDiceDiff ? { ...truth.meanDiceDiff } : null, seed: result.bootstrap.seed,
        },
        note: note.trim(), author: author(),
      })
      return decisionView(store, record)
    },
    listSourceModelDecisions: async ({ sourceId }) => store.sourceModels.history(sourceId).map((r) => decisionView(store, r)),
  }
}

function toView(result: CompareResult): CompareView {
  const side = (s: CompareResult['a']) => ({ spec: s.spec, label: s.label, runId: s.run.id, modelSet: { id: s.modelSet.id, manifestId: s.modelSet.manifestId, version: s.modelSet.version }, profile: s.profile.label })
  return {
    sourceId: result.source.id,
    a: side(result.a),
    b: side(result.b),
    classes: result.a.modelSet.classes.map((c) => ({ id: c.id, name: c.name, color: c.color })),
    images: result.comparison.images,
    truth: result.truth,
    agreement: result.comparison.agreement,
    truthComparison: result.comparison.truth,
    ranking: result.comparison.ranking.filter((r) => r.score > 0).slice(0, RANKED_IMAGES),
    dispositionChanges: result.dispositions.changes.map((c) => ({ coil: c.coil, a: c.a, b: c.b })),
  }
}

function decisionView(store: Store, r: SourceModelDecisionRecord): SourceModelDecisionView {
  const set = store.modelSets.get(r.modelSetId)!
  return { id: r.id, sourceId: r.sourceId, modelSet: { id: set.id, manifestId: set.manifestId, version: set.version }, runId: r.runId, comparedRunId: r.comparedRunId, note: r.note, author: r.author, createdAtMs: r.createdAtMs }
}
