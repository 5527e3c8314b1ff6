// The Review screen's API methods over the store: review state, edits, triage, threshold profiles,
// live metrics, and forcing stage 2 for an image the gate turned away.
import type { FitReport } from '../../src-shared/imageFit.ts'
import type { ReviewApiMethods } from '../../src-shared/reviewTypes.ts'
import { runDefaultProfile } from '../../src-shared/thresholdProfile.ts'
import type { ProviderChoice } from '../../src-shared/providers.ts'
import { readManifest } from '../inference/manifestFile.ts' // not index.ts: main never loads onnxruntime
import { candidateSets } from '../report/modelSetContext.ts'
import type { JobQueue } from '../queue/index.ts'
import { applyProfile, listProfiles, profileForRun, ReviewService, revertToModel, saveMaskEdit, saveProfile, setReview } from '../review/index.ts'
import type { ModelSetRecord, Store } from '../store/index.ts'

export interface ReviewMethodsOptions {
  readonly store: Store
  readonly queue: JobQueue
  /** Who is reviewing (the author of edits and reviews). */
  readonly author: () => string
  /** Model-set folders the app knows, to find the one a run used. */
  readonly modelSetDirs: () => Promise<readonly string[]>
  /** Where model sets are looked for (a set's own folder, or a folder of sets). */
  readonly modelSetRoots: () => readonly string[]
  /** Whether a folder's images look like a set's training images (kept by the caller for the session). */
  readonly fitOf: (modelSetDir: string, folder: string) => Promise<FitReport | null>
}

export function createReviewMethods({ store, queue, author, modelSetDirs, modelSetRoots, fitOf }: ReviewMethodsOptions): ReviewApiMethods {
  const service = new ReviewService(store)
  queue.onImageFinished((event) => {
    const runId = queue.get(event.jobId)?.runId
    if (runId) service.invalidate(runId)
  })

  return {
    getReviewImage: async ({ runId, imageId }) => service.getImage(runId, imageId),
    listReviewWindow: async (input) => service.window(input),
    locateInReviewQueue: async (input) => service.locate(input),
    searchReviewQueue: async (input) => service.search(input),
    listBatchCandidates: async (input) => service.batchCandidates(input),
    listReviewItems: async ({ runId, imageIds }) => service.items(runId, imageIds),
    saveMaskEdit: async (input) => ({ revision: saveMaskEdit(store, { ...input, author: author() }) }),
    revertToModel: async (input) => ({ revision: revertToModel(store, { ...input, author: author() }) }),
    setReview: async ({ imageId, status, note }) => setReview(store, { imageId, status, note, author: author() }),
    getRunProfile: async ({ runId }) => ({ inForce: profileForRun(store, runId), defaults: runDefaultProfile(requireRun(store, runId)) }),
    getReviewRunContext: async ({ runId }) => {
      const run = requireRun(store, runId)
      // The folders are only read here (validating the sets would load every model).
      const dir = await findModelSetDir(store.modelSets.get(run.modelSetId)!, await candidateSets(modelSetRoots()))
      if (!dir) return { trainedOn: null, synthetic: false, fit: null }
      const { manifest } = await readManifest(dir)
      const source = run.sourceId === null ? undefined : store.sources.get(run.sourceId)
      // A folder gone from disk has no fit to tell; the provenance is still said.
      const fit = source ? await fitOf(dir, source.folderPath).catch(() => null) : null
      return { trainedOn: manifest.provenance?.trainedOn ?? null, synthetic: manifest.provenance?.synthetic ?? false, fit }
    },
    listProfiles: async () => listProfiles(store),
    saveProfile: async ({ profile }) => {
      saveProfile(store, profile, author())
      return listProfiles(store)
    },
    applyProfile: async ({ runId, name }) => {
      applyProfile(store, runId, name, author())
      return profileForRun(store, runId)
    },
    getRunMetrics: async ({ runId, sourceId, profile }) => service.metrics(runId, sourceId, profile),
    optimiseThresholds: async ({ runId, sourceId, profile }) => service.optimise(runId, sourceId, profile),
    forceStage2: async ({ runId, imageId }) => {
      const run = requireRun(store, runId)
      const image = store.images.get(imageId)
      if (!image) throw new Error(`no image ${imageId}`)
      const source = store.sources.get(image.sourceId)!
      const modelsDir = await findModelSetDir(store.modelSets.get(run.modelSetId)!, await modelSetDirs())
      if (!modelsDir) throw new Error('the model set this run used is no longer among the model sets')
      const { id } = queue.enqueue({
        folder: source.folderPath,
        modelsDir,
        provider: run.providerRequested as ProviderChoice,
        only: [image.relativePath],
        inspector: { gateThreshold: 0 },
        runKind: 'forced',
      })
      await queue.idle()
      const job = queue.get(id)!
      const prediction = job.runId ? store.predictions.get(job.runId, imageId) : undefined
      if (job.state !== 'done' || !prediction) throw new Error(`stage 2 could not run for ${image.relativePath}: ${job.message ?? 'the image failed'}`)
      return { runId: job.runId!, predictionId: prediction.id }
    },
  }
}

function requireRun(store: Store, runId: number) {
  const run = store.runs.get(runId)
  if (!run) throw new Error(`no run ${runId}`)
  return run
}

/** The folder whose manifest is byte-for-byte the one the run recorded. */
async function findModelSetDir(record: ModelSetRecord, dirs: readonly string[]): Promise<string | null> {
  for (const dir of dirs) {
    try {
      if ((await readManifest(dir)).sha256 === record.manifestSha256) return dir
    } catch {
      // not a readable set: skip
    }
  }
  return null
}

