// Runs, newest first, with their model set and how many images each has a result for.
import type { RunSummary } from '../../src-shared/apiTypes.ts'
import type { Store } from '../store/index.ts'
import { runClasses } from './imageList.ts'

export function listRuns(store: Store): RunSummary[] {
  return store.runs
    .list()
    .reverse()
    .map((run) => {
      const modelSet = store.modelSets.get(run.modelSetId)!
      return {
        id: run.id,
        sourceId: run.sourceId,
        kind: run.kind,
        modelSet: { manifestId: modelSet.manifestId, version: modelSet.version },
        classes: runClasses(store, run.id),
        status: run.status,
        providerRequested: run.providerRequested,
        providerUsed: run.providerUsed,
        providerFallbackReason: run.providerFallbackReason,
        gateThreshold: run.gateThreshold,
        tta: run.tta,
        appVersion: run.appVersion,
        ortVersion: run.ortVersion,
        startedAtMs: run.startedAtMs,
        finishedAtMs: run.finishedAtMs,
        predictionCount: store.predictions.countByRun(run.id),
      }
    })
}
