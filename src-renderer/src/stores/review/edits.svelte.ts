// Mask editing on the image shown: strokes, fills, clears, taking the model's mask, handing a class
// back to the model, and the per-stroke undo history. Every step is saved as it happens, one after
// another, each on the revision the previous one made.
import { decodeRle, encodeRle } from '../../../../src-shared/rle.ts'
import { diffMasks, floodFill, clearMask, reapplyDelta, replaceMask, revertDelta, type MaskDelta } from '../../../../src-shared/maskEdit.ts'
import type { ImagePoint } from '../../../../src-shared/coordinates.ts'
import type { ReviewApiMethods, ReviewImageView } from '../../../../src-shared/reviewTypes.ts'
import { EditHistory, type HistoryEntry } from '../../lib/editHistory.ts'

/** Larger fills ask first: 1/16 of a 1600×256 strip. */
export const FILL_CONFIRM_PX = 25_600

/** What the edits work on: the image and class shown, and the masks the screen shows for it. */
export interface EditTarget {
  readonly view: ReviewImageView | null
  readonly runId: number | null
  readonly selectedClass: number
  /** Per class: the human mask where there is one, else the model's. */
  readonly displayMasks: readonly Uint8Array[]
  /** Per class: the model's mask under the thresholds in force. */
  readonly modelMasks: readonly Uint8Array[]
  /** The queue marks the image as edited. */
  markEdited(imageId: number): void
}

export class MaskEdits {
  /** Image-size masks of the classes a person has edited (they no longer follow the sliders). */
  humanMasks = $state.raw<ReadonlyMap<number, Uint8Array>>(new Map())
  historyVersion = $state(0)

  readonly #api: ReviewApiMethods
  readonly #target: EditTarget
  readonly #history = new EditHistory()
  /** The stored revision each shown (image, class) is at: every save names the one it was made on. */
  readonly #revisions = new Map<string, number>()
  /** Saves go one after another, each on the revision the previous one made. */
  #saves: Promise<unknown> = Promise.resolve()
  #strokeStart: { classId: number; snapshot: Uint8Array; wasModel: boolean } | null = null

  constructor(api: ReviewApiMethods, target: EditTarget) {
    this.#api = api
    this.#target = target
  }

  get canUndo(): boolean {
    void this.historyVersion
    return this.#history.canUndo
  }

  get canRedo(): boolean {
    void this.historyVersion
    return this.#history.canRedo
  }

  /** A new image: its stored human masks and revisions, and an empty history. */
  show(view: ReviewImageView): void {
    const human = new Map<number, Uint8Array>()
    for (const c of view.classes) if (c.origin === 'human') human.set(c.classId, decodeRle(c.humanRle, view.height, view.width))
    for (const c of view.classes) this.#revisions.set(`${view.imageId}:${c.classId}`, c.revision)
    this.#history.clear()
    this.historyVersion++
    this.humanMasks = human
  }

  /** The mask being edited for the selected class (a human copy of what is shown). */
  beginStroke(): Uint8Array | null {
    const { view, selectedClass: classId } = this.#target
    if (!view) return null
    const index = view.classes.findIndex((c) => c.classId === classId)
    const shown = this.#target.displayMasks[index]
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
    const view = this.#target.view
    const index = view?.classes.findIndex((c) => c.classId === this.#target.selectedClass) ?? -1
    if (!view || index < 0) return
    const pixels = floodFill(this.#target.displayMasks[index].slice(), view.height, view.width, point, 1).indices.length
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
    const index = this.#target.view?.classes.findIndex((c) => c.classId === this.#target.selectedClass) ?? -1
    const mask = this.beginStroke()
    if (!mask || index < 0) return
    replaceMask(mask, this.#target.modelMasks[index])
    this.touch()
    await this.endStroke('accept-model')
  }

  async revertClassToModel(): Promise<void> {
    const { view, runId, selectedClass: classId } = this.#target
    const human = this.humanMasks.get(classId)
    if (!view || runId === null || !human) return
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
    const index = this.#target.view?.classes.findIndex((c) => c.classId === next?.classId) ?? -1
    if (next && index >= 0 && !this.humanMasks.has(next.classId)) this.humanMasks = new Map(this.humanMasks).set(next.classId, this.#target.modelMasks[index].slice())
    const entry = this.#history.redo(this.humanMasks)
    if (entry) await this.#persistStep(entry, 'redo')
  }

  async #commit(classId: number, tool: string, delta: MaskDelta, before: Uint8Array, wasModel: boolean): Promise<void> {
    const { view, runId } = this.#target
    if (!view || runId === null || delta.indices.length === 0) return
    const after = this.humanMasks.get(classId)!
    this.#history.push({ classId, tool, delta, wasModel })
    this.historyVersion++
    const beforeRle = encodeRle(before, view.height, view.width)
    const afterRle = encodeRle(after, view.height, view.width)
    await this.#save(view.imageId, classId, (baseRevision) => this.#api.saveMaskEdit({ runId, imageId: view.imageId, classId, beforeRle, afterRle, baseRevision, tool }))
    this.#target.markEdited(view.imageId)
  }

  /** Saves the state an undo or redo reached; undoing a class's first edit hands it back to the model. */
  async #persistStep(entry: HistoryEntry, tool: 'undo' | 'redo'): Promise<void> {
    const { view, runId } = this.#target
    if (!view || runId === null) return
    this.historyVersion++
    const mask = this.humanMasks.get(entry.classId)!
    const afterRle = encodeRle(mask, view.height, view.width)
    const beforeMask = mask.slice()
    // The stored "before" is the state the step left, reconstructed by redoing/undoing it on a copy.
    if (tool === 'undo') reapplyDelta(beforeMask, entry.delta)
    else revertDelta(beforeMask, entry.delta)
    const beforeRle = encodeRle(beforeMask, view.height, view.width)
    if (tool === 'undo' && entry.wasModel) {
      await this.#save(view.imageId, entry.classId, (baseRevision) => this.#api.revertToModel({ runId, imageId: view.imageId, classId: entry.classId, beforeRle, baseRevision }))
      const next = new Map(this.humanMasks)
      next.delete(entry.classId)
      this.humanMasks = next
      return
    }
    this.humanMasks = new Map(this.humanMasks)
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
    const { view, runId } = this.#target
    if (!view || runId === null || !entry.humanBefore) return
    this.historyVersion++
    const index = view.classes.findIndex((c) => c.classId === entry.classId)
    const humanRle = encodeRle(entry.humanBefore, view.height, view.width)
    if (tool === 'undo') {
      const modelRle = encodeRle(this.#target.modelMasks[index], view.height, view.width)
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
}
