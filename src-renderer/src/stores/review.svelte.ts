// The Review screen's state, composed the way the Library's is: where the inspector is
// (navigation), the thresholds in force, the mask edits with their history, the sign-off, and the
// tools and overlays. This composition adds what needs several of them: opening a run, the masks
// the screen shows, and what survives a reload. Only the stores call the API.
import { encodeRle } from '../../../src-shared/rle.ts'
import type { CompareApiMethods } from '../../../src-shared/compareTypes.ts'
import type { ReviewApiMethods, ReviewImageView, ReviewRunContext } from '../../../src-shared/reviewTypes.ts'
import { modelMasksUnder, pickReviewedMasks } from '../../../src-shared/reviewedMasks.ts'
import type { ReviewSession } from '../lib/reviewSession.ts'
import type { ProbMapLoader } from './reviewImages.svelte.ts'
import { ReviewComparison } from './review/comparison.svelte.ts'
import { MaskEdits } from './review/edits.svelte.ts'
import { ReviewNavigation } from './review/navigation.svelte.ts'
import { ReviewThresholds } from './review/thresholds.svelte.ts'
import { ReviewTools } from './review/tools.svelte.ts'
import { ReviewTriage } from './review/triage.svelte.ts'

export { FILL_CONFIRM_PX } from './review/edits.svelte.ts'
export type { Tool } from './review/tools.svelte.ts'
export type { ProbMapLoader } from './reviewImages.svelte.ts'

export class ReviewState {
  readonly navigation: ReviewNavigation
  readonly thresholds: ReviewThresholds
  readonly edits: MaskEdits
  readonly triage: ReviewTriage
  readonly tools: ReviewTools
  /** A comparison carried in from the Compare screen, if any. */
  readonly comparison: ReviewComparison
  /** The run's model set as the inspector must know it (synthetic-only, unlike images); loaded after the image. */
  runContext = $state.raw<ReviewRunContext | null>(null)

  readonly #api: ReviewApiMethods
  /** Where a previous page of this tab left off (used once, by the first open of the same run). */
  #restored: ReviewSession | null

  constructor(api: ReviewApiMethods & Pick<CompareApiMethods, 'getCompareImage'>, loadMaps: ProbMapLoader, saved: ReviewSession | null = null) {
    this.#api = api
    this.#restored = saved
    this.tools = new ReviewTools(saved)
    this.comparison = new ReviewComparison(api)
    this.navigation = new ReviewNavigation(api, loadMaps, (view) => this.#show(view))
    const navigation = this.navigation
    this.thresholds = new ReviewThresholds(
      api,
      () => (navigation.runId === null || navigation.sourceId === null ? null : { runId: navigation.runId, sourceId: navigation.sourceId }),
      async () => {
        await navigation.reloadQueue()
        await this.#rankQueue()
      },
    )
    const masks = this
    this.edits = new MaskEdits(api, {
      get view() {
        return navigation.view
      },
      get runId() {
        return navigation.runId
      },
      get selectedClass() {
        return masks.tools.selectedClass
      },
      get displayMasks() {
        return masks.displayMasks
      },
      get modelMasks() {
        return masks.modelMasks
      },
      markEdited: (imageId) => navigation.markEdited(imageId),
    })
    this.triage = new ReviewTriage(api, navigation)
  }

  /** The source a previous page of this tab was reviewing (the screen opens it first). */
  get restoredSourceId(): number | null {
    return this.#restored?.sourceId ?? null
  }

  /** What survives leaving the screen and a reload (see lib/reviewSession.ts). */
  readonly session = $derived.by<ReviewSession | null>(() => {
    const { runId, sourceId, view } = this.navigation
    if (runId === null || sourceId === null) return null
    return {
      runId,
      sourceId,
      imageId: view?.imageId ?? null,
      profile: this.thresholds.profile,
      tool: this.tools.tool,
      selectedClass: this.tools.selectedClass,
      brushRadius: this.tools.brushRadius,
      viewport: this.tools.zoom,
    }
  })

  /** Model masks under the current profile: recomputed when the profile or the maps change. */
  readonly modelMasks = $derived.by(() => {
    const view = this.navigation.view
    const profile = this.thresholds.profile
    if (!view || !profile) return [] as Uint8Array[]
    // A forced result ran stage 2 whatever the gate said.
    const mapSize = view.forced ? view.forced.mapSize : view.mapSize
    return modelMasksUnder(this.navigation.maps, mapSize, view, view.classes.length, profile, view.forced ? null : view.gateProbability)
  })

  /** What the screen shows per class: the human mask where there is one, else the model's. */
  readonly displayMasks = $derived.by(() => {
    const model = this.modelMasks
    const view = this.navigation.view
    if (!view) return [] as Uint8Array[]
    return pickReviewedMasks(view.classes.map((c) => c.classId), model, this.edits.humanMasks).map((m) => m.mask)
  })

  /** The shown masks as Kaggle RLE strings, one per class (what an export of this state writes). */
  displayedRles(): string[] {
    const view = this.navigation.view
    return view ? this.displayMasks.map((mask) => encodeRle(mask, view.height, view.width)) : []
  }

  /**
   * Opens a run's queue for review. The same run again (the screen shown again) keeps everything as
   * it was and only goes to `imageId` when one is given; a run left by a previous page of this tab
   * comes back with its image and its (possibly unsaved) thresholds.
   */
  async open(runId: number, sourceId: number, imageId: number | null = null): Promise<void> {
    const navigation = this.navigation
    if (navigation.isOpen(runId, sourceId)) {
      const index = imageId === null ? null : await navigation.queue.locate(imageId)
      if (index !== null && index !== navigation.position) await navigation.go(index)
      if (await this.#rankQueue()) await navigation.go(0)
      return
    }
    const restored = this.#restored?.runId === runId && this.#restored.sourceId === sourceId ? this.#restored : null
    this.#restored = null
    navigation.setRun(runId, sourceId)
    this.runContext = null
    void this.#loadRunContext(runId)
    await Promise.all([this.thresholds.load(runId, restored?.profile ?? null), navigation.reloadQueue()])
    await this.#rankQueue()
    await navigation.goTo(imageId ?? restored?.imageId ?? null)
    this.thresholds.refreshMetrics()
  }

  /** Leaves the comparison: the run's whole queue again, at the image shown. */
  async leaveComparison(): Promise<void> {
    this.comparison.leave()
    await this.navigation.reloadQueue()
    await this.navigation.goTo(this.navigation.view?.imageId ?? null)
  }

  /**
   * While a comparison of this run (as side A) is active, the queue is the images where A and B
   * disagree, most first. Says whether it changed the queue.
   */
  async #rankQueue(): Promise<boolean> {
    const { navigation, comparison } = this
    const active = comparison.active
    if (!active || active.sourceId !== navigation.sourceId || active.a.runId !== navigation.runId) return false
    const ids = comparison.rankedImageIds
    if (navigation.ranking?.join() === ids.join()) return false
    await navigation.rank(ids)
    return true
  }

  #show(view: ReviewImageView): void {
    this.edits.show(view)
    this.triage.show(view)
    this.thresholds.message = null
  }

  async #loadRunContext(runId: number): Promise<void> {
    // The fit decodes a sample of the folder once per session: it must not hold up the image.
    const context = await this.#api.getReviewRunContext({ runId }).catch(() => null)
    if (this.navigation.runId === runId) this.runContext = context
  }
}
