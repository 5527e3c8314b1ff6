// Per-image undo/redo of mask edits: each entry is one whole stroke (or fill, clear, accept) on one
// class, kept as the delta it made. Undo and redo are themselves edits that get saved, so the
// store's history records them too; closing the window loses nothing.
import { reapplyDelta, revertDelta, type MaskDelta } from '../../../src-shared/maskEdit.ts'

export interface HistoryEntry {
  readonly classId: number
  readonly tool: string
  readonly delta: MaskDelta
  /** Whether the class followed the model before this edit: undoing it hands the class back. */
  readonly wasModel: boolean
  /** Set on a revert to the model: the human mask it dropped (undo restores it; no delta applies). */
  readonly humanBefore?: Uint8Array
}

export class EditHistory {
  #undo: HistoryEntry[] = []
  #redo: HistoryEntry[] = []

  get canUndo(): boolean {
    return this.#undo.length > 0
  }

  get canRedo(): boolean {
    return this.#redo.length > 0
  }

  /** The entry an undo would revert. */
  get nextUndo(): HistoryEntry | null {
    return this.#undo.at(-1) ?? null
  }

  /** The entry a redo would reapply. */
  get nextRedo(): HistoryEntry | null {
    return this.#redo.at(-1) ?? null
  }

  /** Records an edit already applied to its mask; a new edit clears the redo stack. */
  push(entry: HistoryEntry): void {
    if (entry.delta.indices.length === 0 && !entry.humanBefore) return
    this.#undo.push(entry)
    this.#redo = []
  }

  /** Reverts the last edit on `masks` (by class id); returns it, or null when there is none. */
  undo(masks: ReadonlyMap<number, Uint8Array>): HistoryEntry | null {
    const entry = this.#undo.pop()
    if (!entry) return null
    if (!entry.humanBefore) revertDelta(masks.get(entry.classId)!, entry.delta)
    this.#redo.push(entry)
    return entry
  }

  redo(masks: ReadonlyMap<number, Uint8Array>): HistoryEntry | null {
    const entry = this.#redo.pop()
    if (!entry) return null
    if (!entry.humanBefore) reapplyDelta(masks.get(entry.classId)!, entry.delta)
    this.#undo.push(entry)
    return entry
  }

  clear(): void {
    this.#undo = []
    this.#redo = []
  }
}
