// What the end-to-end tests and the in-browser benchmarks read from the page: the review state (a
// read-mostly view of it) and the measured re-render and paint times. Only the tests' build of the
// renderer (vite.e2e.config.ts, mode 'e2e') installs them; the app's bundle has none of this.
import { paintTimes, renderTimes } from './lib/renderTimes.ts'
import type { ReviewState } from './stores/review.svelte.ts'
import type { ThresholdKey } from './stores/review/thresholds.svelte.ts'

export function installTestHooks(review: ReviewState): void {
  const { navigation, thresholds, edits, triage, tools } = review
  const reviewHook = {
    get view() {
      return navigation.view
    },
    /** The queue's items read from its start on (a short queue's whole). */
    get queue() {
      return navigation.queue.loaded()
    },
    get queueTotal() {
      return navigation.queue.total
    },
    get position() {
      return navigation.position
    },
    get profile() {
      return thresholds.profile
    },
    get status() {
      return triage.status
    },
    get tool() {
      return tools.tool
    },
    get humanMasks() {
      return edits.humanMasks
    },
    get canUndo() {
      return edits.canUndo
    },
    get canRedo() {
      return edits.canRedo
    },
    get runContext() {
      return review.runContext
    },
    get modelMasks() {
      return review.modelMasks
    },
    get displayMasks() {
      return review.displayMasks
    },
    get zoom() {
      return tools.zoom
    },
    get comparison() {
      return { view: review.comparison.view, shownImageId: review.comparison.shown?.imageId ?? null }
    },
    displayedRles: () => review.displayedRles(),
    setThreshold: (key: ThresholdKey, classIndex: number | null, value: number) => thresholds.set(key, classIndex, value),
  }
  Object.assign(globalThis, { coilscopeReview: reviewHook, coilscopeRenderTimes: renderTimes, coilscopePaintTimes: paintTimes })
}
