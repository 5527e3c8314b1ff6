// Finds or creates the run a job's results go to: the model set registered by its hashes, the
// post-processing the job asks for, and the provider that actually loaded. Equal settings find
// the same run, so a job run again (or resumed after a crash) does only what is left.
import { recordedGateThreshold } from '../../src-shared/formulation.ts'
import { APP_VERSION } from '../appInfo.ts'
import type { JsonObject, RunRecord, Store } from '../store/index.ts'
import type { LoadedInfo } from '../worker/index.ts'
import type { JobSettings } from './jobs.ts'

/** A run belongs to one source: its times and results are that folder's alone. */
export function openRun(store: Store, sourceId: number, settings: JobSettings, info: LoadedInfo): RunRecord {
  const { manifest } = info
  const modelSet = store.modelSets.ensure({
    manifestId: manifest.id,
    version: manifest.version,
    manifestSha256: info.manifestSha256,
    members: [
      ...(manifest.classifier?.members ?? []).map((m) => ({ stage: 'classifier' as const, file: m.file, sha256: m.sha256 ?? '' })),
      ...manifest.segmenter.members.map((m) => ({ stage: 'segmenter' as const, file: m.file, sha256: m.sha256 ?? '' })),
    ],
    classes: manifest.classes,
  })
  const post = manifest.segmenter.postprocess
  const profile = settings.inspector?.profile
  const postprocess: JsonObject = profile
    ? { upper: [...profile.upper], lower: [...profile.lower], minArea: [...profile.minAreaModelPx] }
    : { upper: post.upper, lower: post.lower, minArea: post.minArea }
  const gateThreshold = settings.inspector?.gateThreshold ?? recordedGateThreshold(manifest)
  const kind = settings.runKind ?? 'gated'
  const runSettings = { sourceId, modelSetId: modelSet.id, postprocess, gateThreshold, tta: manifest.tta, kind }
  const run =
    store.runs.findLatestMatching(runSettings) ??
    store.runs.create({ ...runSettings, providerRequested: settings.provider, appVersion: APP_VERSION, status: 'running' })
  store.runs.recordProvider(run.id, { providerUsed: info.provider.provider, fallbackReason: info.provider.fallbackReason, ortVersion: info.ortVersion })
  return store.runs.setStatus(run.id, 'running')
}
