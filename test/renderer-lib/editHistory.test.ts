import assert from 'node:assert/strict'
import { test } from 'node:test'
import { imagePoint } from '../../src-shared/coordinates.ts'
import { clearMask, paintStroke } from '../../src-shared/maskEdit.ts'
import { EditHistory } from '../../src-renderer/src/lib/editHistory.ts'

test('undo and redo step through whole strokes across classes', () => {
  const masks = new Map([[1, new Uint8Array(100)], [3, new Uint8Array(100)]])
  const history = new EditHistory()
  const empty = new Uint8Array(100)
  history.push({ classId: 1, tool: 'brush', wasModel: true, delta: paintStroke(masks.get(1)!, 10, 10, [imagePoint(2, 2), imagePoint(7, 2)], 1, 1) })
  const afterFirst = masks.get(1)!.slice()
  history.push({ classId: 3, tool: 'brush', wasModel: true, delta: paintStroke(masks.get(3)!, 10, 10, [imagePoint(5, 5)], 2, 1) })
  history.push({ classId: 1, tool: 'clear', wasModel: false, delta: clearMask(masks.get(1)!) })
  assert.deepEqual(masks.get(1), empty)

  assert.equal(history.undo(masks)!.tool, 'clear')
  assert.deepEqual(masks.get(1), afterFirst)
  assert.equal(history.undo(masks)!.classId, 3)
  assert.deepEqual(masks.get(3), empty)
  assert.equal(history.redo(masks)!.classId, 3)
  assert.notDeepEqual(masks.get(3), empty)
  history.push({ classId: 3, tool: 'eraser', wasModel: false, delta: clearMask(masks.get(3)!) })
  assert.equal(history.canRedo, false) // a new edit drops the redo stack
  history.undo(masks)
  history.undo(masks)
  history.undo(masks)
  assert.deepEqual(masks.get(1), empty)
  assert.equal(history.canUndo, false)
  assert.equal(history.undo(masks), null)
})

test('an edit that changed nothing is not an undo step', () => {
  const history = new EditHistory()
  history.push({ classId: 1, tool: 'clear', wasModel: false, delta: clearMask(new Uint8Array(4)) })
  assert.equal(history.canUndo, false)
})
