// The Review screen's state: the queue, the image in review, its probability maps and masks, the
// threshold profile, tools, overlays and the per-stroke history. Only this class calls the API.
import { decodeRle, encodeRle } from '../../../src-shared/rle.ts'
import { diffMasks, floodFill, clearMask, reapplyDelta, replaceMask, revertDelta, type MaskDelta } from '../../../src-shared/maskEdit.ts'
import type { ImagePoint } from '../../../src-shared/coordinates.ts'
import type { ClassScore } from '../../../src-shared/metrics.ts'
import type { ReviewApiMethods, ReviewImageView, ReviewQueueItem, ReviewQueueOrder, ReviewRunContext, ReviewStatusName } from '../../../src-shared/reviewTypes.ts'
import type { ThresholdProfile } from '../../../src-shared/thresholdProfile.ts'
import { EditHistory, type HistoryEntry } from '../lib/editHistory.ts'
import { modelMasksUnder, pickReviewedMasks } from '../../../src-shared/reviewedMasks.ts'
import type { OverlayMode } from '../lib/overlay.ts'
import { readReviewSession, type ReviewSession } from '../lib/reviewSession.ts'
import { ReviewImages, type ProbMapLoader } from './reviewImages.svelte.ts'

/** Larger fills ask first: 1/16 of a 1600×256 strip. */
export const FILL_CONFIRM_PX = 25_600

export type Tool = 'brush' | 'eraser' | 'fill' | 'pan'
export type { ProbMapLoader } from './reviewImages.svelte.ts'

export class ReviewState {
  runId = $state<number | null>(null)
  sourceId = $state<number | null>(null)
  order = $state<ReviewQueueOrder>('uncertainty')
  queue = $state.raw<ReviewQueueItem[]>([])
  position = $state(0)
  view = $state.raw<ReviewImageView | null>(null)
  maps = $state.raw<Uint8Array | null>(null)
  profile = $state.raw<ThresholdProfile | null>(null)
  savedProfiles = $state.raw<ThresholdProfile[]>([])
  scores = $state.raw<readonly ClassScore[] | null>(null)
  /** Image-size masks of the classes a person has edited (they no longer follow the sliders). */
  humanMasks = $state.raw<ReadonlyMap<number, Uint8Array>>(new Map())
  selectedClass = $state(1)
  /** Pan by default: a drag meant to move the view must never paint. */
  tool = $state<Tool>('pan')
  brushRadius = $state(8)
  opacity = $state(0.45)
  overlayMode = $state<OverlayMode>('fill')
  visible = $state<boolean[]>([true, true, true, true])
  overlaysHidden = $state(false)
  /** The image's review status; kept apart from `view` so that triage does not redraw the masks. */
  status = $state<ReviewStatusName>('unreviewed')
  note = $state('')
  isBusy = $state(false)
  message = $state<string | null>(null)
  historyVersion = $state(0)
  /** Accept, reject and flag move on to the next unreviewed image (a preference, on by default). */
  advanceAfterTriage = $state(true)
  /** The zoom, with the image and viewer width it was set for (a new image or width fits again). */
  zoom = $state.raw<ReviewSession['viewport']>(null)
  /** The run's model set as the inspector must know it (synthetic-only, unlike images); loaded after the image. */
  runContext = $state.raw<ReviewRunContext | null>(null)

  readonly #api: ReviewApiMethods
  readonly #images: ReviewImages
  readonly #history = new EditHistory()
  /** The stored revision each shown (image, class) is at: every save names the one it was made on. */
  readonly #revisions = new Map<string, number>()
  /** Saves go one after another, each on the revision the previous one made. */
  #saves: Promise<unknown> = Promise.resolve()
  #metricsTimer: ReturnType<typeof setTimeout> | null = null
  /** Where a previous page of this tab left off (used once, by the first open of the same run). */
  #restored: ReviewSession | null

  constructor(api: ReviewApiMethods, loadMaps: ProbMapLoader, saved: ReviewSession | null = null) {
    this.#api = api
    this.#images = new ReviewImages(api, loadMaps)
    this.#restored = saved
    if (saved) {
      this.tool = (['brush', 'eraser', 'fill', 'pan'] as const).find((t) => t === saved.tool) ?? 'pan'
      this.selectedClass = saved.selectedClass
      this.brushRadius = saved.brushRadius
      this.zoom = saved.viewport
    }
  }

  /** The source a previous page of this tab was reviewing (the screen opens it first). */
  get restoredSourceId(): number | null {
    return this.#restored?.sourceId ?? null
  }

  /** What survives leaving the screen and a reload (see lib/reviewSession.ts). */
  readonly session = $derived.by<ReviewSession | null>(() => {
    if (this.runId === null || this.sourceId === null) return null
    return {
      runId: this.runId,
      sourceId: this.sourceId,
      imageId: this.view?.imageId ?? null,
      profile: this.profile,
      tool: this.tool,
      selectedClass: this.selectedClass,
      brushRadius: this.brushRadius,
      viewport: this.zoom,
    }
  })

  /** Model masks under the current profile: recomputed when the profile or the maps change. */
  readonly modelMasks = $derived.by(() => {
    const view = this.view
    const profile = this.profile
    if (!view || !profile) return [] as Uint8Array[]
    return modelMasksUnder(this.maps, this.#mapSize(view), view, view.classes.length, profile, this.#gateProbability(view))
  })

  /** What the screen shows per class: the human mask where there is one, else the model's. */
  readonly displayMasks = $derived.by(() => {
    const model = this.modelMasks
    const view = this.view
    if (!view) return [] as Uint8Array[]
    return pickReviewedMasks(view.classes.map((c) => c.classId), model, this.humanMasks).map((m) => m.mask)
  })

  /** The shown masks as Kaggle RLE strings, one per class (what an export of this state writes). */
  displayedRles(): string[] {
    const view = this.view
    return view ? this.displayMasks.map((mask) => encodeRle(mask, view.height, view.width)) : []
  }

  get current(): ReviewQueueItem | null {
    return this.queue[this.position] ?? null
  }

  get canUndo(): boolean {
    void this.historyVersion
    return this.#history.canUndo
  }

  get canRedo(): boolean {
    void this.historyVersion
    return this.#history.canRedo
  }

  /**
   * Opens a run's queue for review. The same run again (the screen shown again) keeps everything as
   * it was and only goes to `imageId` when one is given; a run left by a previous page of this tab
   * comes back with its image and its (possibly unsaved) thresholds.
   */
  async open(runId: number, sourceId: number, imageId: number | null = null): Promise<void> {
    if (this.runId === runId && this.sourceId === sourceId && this.queue.length > 0) {
      const index = this.queue.findIndex((q) => q.imageId === imageId)
      if (index >= 0 && index !== this.position) await this.go(index)
      return
    }
    const restored = this.#restored?.runId === runId && this.#restored.sourceId === sourceId ? this.#restored : null
    this.#restored = null
    this.runId = runId
    this.sourceId = sourceId
    this.runContext = null
    void this.#loadRunContext(runId)
    const [{ inForce }, saved] = await Promise.all([this.#api.getRunProfile({ runId }), this.#api.listProfiles()])
    this.profile = restored?.profile && restored.profile.upper.length === inForce.upper.length ? restored.profile : inForce
    this.savedProfiles = saved
    await this.reloadQueue()
    const target = imageId ?? restored?.imageId ?? null
    await this.go(Math.max(0, this.queue.findIndex((q) => q.imageId === target)))
    this.refreshMetrics()
  }

  async reloadQueue(): Promise<void> {
    if (this.runId === null || this.sourceId === null) return
    this.#images.forget()
    const keep = this.current?.imageId
    this.queue = await this.#api.listReviewQueue({ runId: this.runId, sourceId: this.sourceId, order: this.order })
    const index = this.queue.findIndex((q) => q.imageId === keep)
    this.position = index >= 0 ? index : 0
  }

  async go(position: number): Promise<void> {
    if (this.runId === null || this.queue.length === 0) return
    this.position = Math.max(0, Math.min(this.queue.length - 1, position))
    const imageId = this.queue[this.position].imageId
    const loaded = await this.#images.take(this.runId, imageId)
    if (this.queue[this.position]?.imageId !== imageId) return // moved on while this one loaded
    this.#show(loaded.view, loaded.maps)
    // The next and previous images are loaded while this one is looked at.
    this.#images.prefetch(this.runId!, [this.position + 1, this.position - 1].flatMap((p) => (this.queue[p] ? [this.queue[p].imageId] : [])))
  }

  next = () => this.go(this.position + 1)
  previous = () => this.go(this.position - 1)

  async nextUnreviewed(): Promise<void> {
    const start = this.position + 1
    const offset = [...this.queue.slice(start), ...this.queue.slice(0, start)].findIndex((q) => q.status === 'unreviewed')
    if (offset >= 0) await this.go((start + offset) % this.queue.length)
  }

  /** Changes one class's threshold (or the gate with classIndex null); masks follow at once. */
  setThreshold(key: 'upper' | 'lower' | 'minAreaModelPx' | 'gate', classIndex: number | null, value: number): void {
    const profile = this.profile
    if (!profile) return
    const name = profile.name.endsWith('*') ? profile.name : `${profile.name}*`
    if (key === 'gate') this.profile = { ...profile, name, gate: value }
    else this.profile = { ...profile, name, [key]: profile[key].map((v, i) => (i === classIndex ? value : v)) }
    this.refreshMetrics()
  }

  refreshMetrics(): void {
    if (this.#metricsTimer) clearTimeout(this.#metricsTimer)
    this.#metricsTimer = setTimeout(async () => {
      if (this.runId === null || this.sourceId === null || !this.profile) return
      this.scores = (await this.#api.getRunMetrics({ runId: this.runId, sourceId: this.sourceId, profile: this.profile })).scores
    }, 120)
  }

  async optimise(): Promise<void> {
    if (this.runId === null || this.sourceId === null || !this.profile) return
    const proposal = await this.#api.optimiseThresholds({ runId: this.runId, sourceId: this.sourceId, profile: this.profile })
    if (!proposal) {
      this.message = 'No truth for this source: add truth.csv beside the images to optimise.'
      return
    }
    this.profile = proposal
    this.refreshMetrics()
  }

  async saveProfileAs(name: string): Promise<void> {
    if (!this.profile || name.trim() === '') return
    this.profile = { ...this.profile, name: name.trim() }
    this.savedProfiles = await this.#api.saveProfile({ profile: this.profile })
    if (this.runId !== null) this.profile = await this.#api.applyProfile({ runId: this.runId, name: this.profile.name })
    await this.reloadQueue()
  }

  async applySaved(name: string | null): Promise<void> {
    if (this.runId === null) return
    this.profile = await this.#api.applyProfile({ runId: this.runId, name })
    this.refreshMetrics()
    await this.reloadQueue()
  }

  // ---- Editing -------------------------------------------------------------------------------

  #strokeStart: { classId: number; snapshot: Uint8Array; wasModel: boolean } | null = null

  /** The mask being edited for the selected class (a human copy of what is shown). */
  beginStroke(): Uint8Array | null {
    const view = this.view
    if (!view) return null
    const classId = this.selectedClass
    const index = view.classes.findIndex((c) => c.classId === classId)
    const shown = this.displayMasks[index]
    const editable = this.humanMasks.get(classId) ?? shown.slice()
    this.#strokeStart = { classId, snapshot: editable.slice(), wasModel: !this.humanMasks.has(classId) }
    if (!this.humanMasks.has(classId)) this.humanMasks = new Map(this.humanMasks).set(classId, editable)
    return editable
  }

  /** Called after each painted segment so the overlay repaints. */
  touch(): void {
    this.humanMasks = new Map(this.humanMasks)
  }

  async endStroke(tool: string): Promise<void> {
    const start = this.#strokeStart
    this.#strokeStart = null
    if (!start) return
    const mask = this.humanMasks.get(start.classId)!
    await this.#commit(start.classId, tool, diffMasks(start.snapshot, mask), start.snapshot, start.wasModel)
  }

  /**
   * Fills the region under the point. A fill larger than FILL_CONFIRM_PX (a click on open steel
   * floods the strip) happens only when `confirmLarge` agrees.
   */
  async fillAt(point: ImagePoint, confirmLarge: (pixels: number) => boolean | Promise<boolean> = () => false): Promise<void> {
    const view = this.view
    const index = view?.classes.findIndex((c) => c.classId === this.selectedClass) ?? -1
    if (!view || index < 0) return
    const pixels = floodFill(this.displayMasks[index].slice(), view.height, view.width, point, 1).indices.length
    if (pixels > FILL_CONFIRM_PX && !(await confirmLarge(pixels))) return
    const mask = this.beginStroke()
    if (!mask) return
    floodFill(mask, view.height, view.width, point, 1)
    this.touch()
    await this.endStroke('fill')
  }

  async clearClass(): Promise<void> {
    const mask = this.beginStroke()
    if (!mask) return
    clearMask(mask)
    this.touch()
    await this.endStroke('clear')
  }

  /** Takes what the model shows now as the human mask (it stops following the sliders). */
  async acceptModelMask(): Promise<void> {
    const index = this.view?.classes.findIndex((c) => c.classId === this.selectedClass) ?? -1
    const mask = this.beginStroke()
    if (!mask || index < 0) return
    replaceMask(mask, this.modelMasks[index])
    this.touch()
    await this.endStroke('accept-model')
  }

  async revertClassToModel(): Promise<void> {
    const view = this.view
    const classId = this.selectedClass
    const human = this.humanMasks.get(classId)
    if (!view || this.runId === null || !human) return
    const runId = this.runId
    await this.#save(view.imageId, classId, (baseRevision) =>
      this.#api.revertToModel({ runId, imageId: view.imageId, classId, beforeRle: encodeRle(human, view.height, view.width), baseRevision }),
    )
    const next = new Map(this.humanMasks)
    next.delete(classId)
    this.humanMasks = next
    // One more step in the history (undo brings the human mask back), not the end of it.
    this.#history.push({ classId, tool: 'revert-to-model', delta: diffMasks(human, human), wasModel: false, humanBefore: human })
    this.historyVersion++
  }

  async undo(): Promise<void> {
    const revert = this.#history.nextUndo
    if (revert?.humanBefore) {
      this.humanMasks = new Map(this.humanMasks).set(revert.classId, revert.humanBefore.slice())
      this.#history.undo(this.humanMasks)
      await this.#persistRevertStep(revert, 'undo')
      return
    }
    const entry = this.#history.undo(this.humanMasks)
    if (entry) await this.#persistStep(entry, 'undo')
  }

  async redo(): Promise<void> {
    const revert = this.#history.nextRedo
    if (revert?.humanBefore) {
      this.#history.redo(this.humanMasks)
      await this.#persistRevertStep(revert, 'redo')
      return
    }
    // A class handed back to the model by an undo is edited again from what is shown.
    const next = this.#history.nextRedo
    const index = this.view?.classes.findIndex((c) => c.classId === next?.classId) ?? -1
    if (next && index >= 0 && !this.humanMasks.has(next.classId)) this.humanMasks = new Map(this.humanMasks).set(next.classId, this.modelMasks[index].slice())
    const entry = this.#history.redo(this.humanMasks)
    if (entry) await this.#persistStep(entry, 'redo')
  }

  // ---- Triage ---------------------------------------------------------------------------------

  async triage(status: ReviewStatusName): Promise<void> {
    const view = this.view
    if (!view) return
    await this.#api.setReview({ imageId: view.imageId, status, note: this.note })
    this.queue = this.queue.map((q) => (q.imageId === view.imageId ? { ...q, status } : q))
    this.status = status
    // On to the next image still to review (the gated-out ones a batch accepted are passed over).
    if (this.advanceAfterTriage && this.view === view) await this.nextUnreviewed()
  }

  /** Accepts many images at once (after a look at them on the contact sheet). */
  async acceptMany(imageIds: readonly number[]): Promise<void> {
    this.#images.forget()
    const accepted = new Set<number>()
    try {
      for (const imageId of imageIds) {
        await this.#api.setReview({ imageId, status: 'accepted', note: '' })
        accepted.add(imageId)
      }
    } finally {
      // What was saved shows, even when a later one failed.
      this.queue = this.queue.map((q) => (accepted.has(q.imageId) ? { ...q, status: 'accepted' } : q))
      if (this.view && accepted.has(this.view.imageId)) this.status = 'accepted'
    }
  }

  async forceStage2(): Promise<void> {
    const view = this.view
    if (!view || this.runId === null) return
    this.isBusy = true
    try {
      await this.#api.forceStage2({ runId: this.runId, imageId: view.imageId })
      const loaded = await this.#images.fetch(this.runId, view.imageId)
      this.#show(loaded.view, loaded.maps)
    } finally {
      this.isBusy = false
    }
  }

  // ---- Internals ------------------------------------------------------------------------------

  async #loadRunContext(runId: number): Promise<void> {
    // The fit decodes a sample of the folder once per session: it must not hold up the image.
    const context = await this.#api.getReviewRunContext({ runId }).catch(() => null)
    if (this.runId === runId) this.runContext = context
  }

  #show(view: ReviewImageView, maps: Uint8Array | null): void {
    const human = new Map<number, Uint8Array>()
    for (const c of view.classes) if (c.origin === 'human') human.set(c.classId, decodeRle(c.humanRle, view.height, view.width))
    for (const c of view.classes) this.#revisions.set(`${view.imageId}:${c.classId}`, c.revision)
    this.#history.clear()
    this.historyVersion++
    this.maps = maps
    this.humanMasks = human
    this.view = view
    this.status = view.review?.status ?? 'unreviewed'
    this.note = view.review?.note ?? ''
    this.message = null
  }

  async #commit(classId: number, tool: string, delta: MaskDelta, before: Uint8Array, wasModel: boolean): Promise<void> {
    const view = this.view
    if (!view || this.runId === null || delta.indices.length === 0) return
    const after = this.humanMasks.get(classId)!
    this.#history.push({ classId, tool, delta, wasModel })
    this.historyVersion++
    const runId = this.runId
    const beforeRle = encodeRle(before, view.height, view.width)
    const afterRle = encodeRle(after, view.height, view.width)
    await this.#save(view.imageId, classId, (baseRevision) => this.#api.saveMaskEdit({ runId, imageId: view.imageId, classId, beforeRle, afterRle, baseRevision, tool }))
    this.queue = this.queue.map((q) => (q.imageId === view.imageId ? { ...q, hasHumanEdits: true } : q))
  }

  /** Saves the state an undo or redo reached; undoing a class's first edit hands it back to the model. */
  async #persistStep(entry: HistoryEntry, tool: 'undo' | 'redo'): Promise<void> {
    const view = this.view
    if (!view || this.runId === null) return
    this.historyVersion++
    const mask = this.humanMasks.get(entry.classId)!
    const afterRle = encodeRle(mask, view.height, view.width)
    const beforeMask = mask.slice()
    // The stored "before" is the state the step left, reconstructed by redoing/undoing it on a copy.
    if (tool === 'undo') reapplyDelta(beforeMask, entry.delta)
    else revertDelta(beforeMask, entry.delta)
    const beforeRle = encodeRle(beforeMask, view.height, view.width)
    if (tool === 'undo' && entry.wasModel) {
      const runId = this.runId
      await this.#save(view.imageId, entry.classId, (baseRevision) => this.#api.revertToModel({ runId, imageId: view.imageId, classId: entry.classId, beforeRle, baseRevision }))
      const next = new Map(this.humanMasks)
      next.delete(entry.classId)
      this.humanMasks = next
      return
    }
    this.humanMasks = new Map(this.humanMasks)
    const runId = this.runId
    await this.#save(view.imageId, entry.classId, (baseRevision) => this.#api.saveMaskEdit({ runId, imageId: view.imageId, classId: entry.classId, beforeRle, afterRle, baseRevision, tool }))
  }

  /** Sends one save after those before it, on the revision they left; remembers the one it makes. */
  #save(imageId: number, classId: number, send: (baseRevision: number) => Promise<{ revision: number }>): Promise<void> {
    const key = `${imageId}:${classId}`
    const saved = this.#saves.then(async () => {
      const { revision } = await send(this.#revisions.get(key) ?? 0)
      this.#revisions.set(key, revision)
    })
    this.#saves = saved.catch(() => {})
    return saved
  }

  /** Undoing a revert gives the class its human mask back; redoing it hands the class to the model again. */
  async #persistRevertStep(entry: HistoryEntry, tool: 'undo' | 'redo'): Promise<void> {
    const view = this.view
    if (!view || this.runId === null || !entry.humanBefore) return
    this.historyVersion++
    const index = view.classes.findIndex((c) => c.classId === entry.classId)
    const humanRle = encodeRle(entry.humanBefore, view.height, view.width)
    const runId = this.runId
    if (tool === 'undo') {
      const modelRle = encodeRle(this.modelMasks[index], view.height, view.width)
      await this.#save(view.imageId, entry.classId, (baseRevision) =>
        this.#api.saveMaskEdit({ runId, imageId: view.imageId, classId: entry.classId, beforeRle: modelRle, afterRle: humanRle, baseRevision, tool }),
      )
      return
    }
    const next = new Map(this.humanMasks)
    next.delete(entry.classId)
    this.humanMasks = next
    await this.#save(view.imageId, entry.classId, (baseRevision) => this.#api.revertToModel({ runId, imageId: view.imageId, classId: entry.classId, beforeRle: humanRle, baseRevision }))
  }

  #mapSize(view: ReviewImageView) {
    return view.forced ? view.forced.mapSize : view.mapSize
  }

  #gateProbability(view: ReviewImageView): number | null {
    // A forced result ran stage 2 whatever the gate said.
    return view.forced ? null : view.gateProbability
  }
}
