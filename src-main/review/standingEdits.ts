// Which human edits still stand. A class handed back to the model (Revert to model) keeps its edits
// in the audit trail, but they are no longer in the result: reports and the reviews CSV count the
// edits of the classes whose current mask is a person's, nothing else.
export interface CurrentMaskOrigin {
  readonly classId: number
  readonly origin: string
}

export function standingEdits<E extends { readonly classId: number }>(edits: readonly E[], currentMasks: readonly CurrentMaskOrigin[]): E[] {
  const human = new Set(currentMasks.filter((m) => m.origin === 'human').map((m) => m.classId))
  return edits.filter((e) => human.has(e.classId))
}

/** The classes a person's mask stands for, ascending. */
export function standingEditedClasses(edits: readonly { readonly classId: number }[], currentMasks: readonly CurrentMaskOrigin[]): number[] {
  return [...new Set(standingEdits(edits, currentMasks).map((e) => e.classId))].sort((a, b) => a - b)
}
