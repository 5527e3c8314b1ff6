// A class edited and then reverted to the model is no longer a human edit in the report or the
// reviews CSV (its edits stay in the audit trail); a class whose revert was undone counts again.
// A real database: block images through the job queue with the fixture models.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { selectForExport } from '../../../src-main/export/index.ts'
import { formatReviewsCsv } from '../../../src-main/export/reviewsExport.ts'
import { collectReportData } from '../../../src-main/report/index.ts'
import { revertToModel, saveMaskEdit } from '../../../src-main/review/reviewActions.ts'
import { standingEditedClasses } from '../../../src-main/review/standingEdits.ts'
import { makeReviewedRun, type ReviewedRun } from '../export/reviewedRun.ts'

let fx: ReviewedRun
before(async () => {
  fx = await makeReviewedRun(8)
})
after(() => fx.store.close())

function editedClassesInCsv(imageId: number): string {
  const csv = formatReviewsCsv(fx.store, selectForExport(fx.store, { sourceId: fx.sourceId, runId: fx.runId, masks: 'reviewed', rejected: 'include' }))
  const image = fx.store.images.get(imageId)!
  const rows = parse(csv, { columns: true }) as { image: string; edited_classes: string }[]
  return rows.find((r) => r.image === image.relativePath)!.edited_classes
}

const summary = () => collectReportData(fx.store, { sourceId: fx.sourceId, runId: fx.runId }).summary

test('standingEditedClasses: edits count only where the current mask is human', () => {
  const edits = [{ classId: 3 }, { classId: 3 }, { classId: 1 }, { classId: 2 }]
  assert.deepEqual(standingEditedClasses(edits, [{ classId: 1, origin: 'model' }, { classId: 2, origin: 'human' }, { classId: 3, origin: 'human' }]), [2, 3])
  assert.deepEqual(standingEditedClasses(edits, []), [])
  assert.deepEqual(standingEditedClasses([], [{ classId: 1, origin: 'human' }]), [])
})

test('Revert to model takes the class out of the report and the reviews CSV; undoing the revert puts it back', () => {
  const imageId = [...fx.imageIds.values()][4]
  const runId = fx.runId
  const before = summary()
  const drawn = '1 40'
  const base = fx.store.masks.current(imageId, 3)?.revision ?? 0
  const first = saveMaskEdit(fx.store, { imageId, classId: 3, runId, beforeRle: '', afterRle: drawn, tool: 'brush', author: 'a.rossi', baseRevision: base })
  const second = saveMaskEdit(fx.store, { imageId, classId: 3, runId, beforeRle: drawn, afterRle: '1 60', tool: 'brush', author: 'a.rossi', baseRevision: first })
  const edited = summary()
  assert.deepEqual([edited.humanEdits, edited.humanEditedImages, edited.humanMasks], [before.humanEdits + 2, before.humanEditedImages + 1, before.humanMasks + 1])
  assert.equal(editedClassesInCsv(imageId), '3')
  assert.ok(collectReportData(fx.store, { sourceId: fx.sourceId, runId: fx.runId }).reviewers.includes('a.rossi'), 'an editor who left no review is among the reviewers')

  const third = revertToModel(fx.store, { imageId, classId: 3, runId, beforeRle: '1 60', author: 'a.rossi', baseRevision: second })
  const reverted = summary()
  assert.deepEqual([reverted.humanEdits, reverted.humanEditedImages, reverted.humanMasks], [before.humanEdits, before.humanEditedImages, before.humanMasks])
  assert.equal(editedClassesInCsv(imageId), '')
  assert.equal(fx.store.edits.listForImage(imageId).length, 3, 'the audit trail keeps all three steps')

  saveMaskEdit(fx.store, { imageId, classId: 3, runId, beforeRle: '', afterRle: '1 60', tool: 'undo', author: 'a.rossi', baseRevision: third })
  assert.equal(editedClassesInCsv(imageId), '3')
  assert.equal(summary().humanMasks, before.humanMasks + 1)
})
