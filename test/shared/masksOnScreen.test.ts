import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeShownMasks, masksOnScreen, shownRegions, type MaskPair } from '../../src-shared/masksOnScreen.ts'

// 2×6 masks, two classes. Class 1: A has columns 0–1, B columns 0–3 (one region in the union).
// Class 2: A alone has column 5.
const H = 2
const W = 6
const rows = (...row: number[]) => Uint8Array.from([...row, ...row])
const pairs: MaskPair[] = [
  [rows(1, 1, 0, 0, 0, 0), rows(1, 1, 1, 1, 0, 0)],
  [rows(0, 0, 0, 0, 0, 1), rows(0, 0, 0, 0, 0, 0)],
]
const own = [rows(0, 0, 0, 1, 0, 0), rows(0, 0, 0, 0, 0, 0)]

test('outside a comparison the run’s own masks are shown, the very arrays', () => {
  const shown = masksOnScreen(own, null)
  assert.equal(shown.side, 'own')
  assert.equal(shown.perClass[0], own[0])
  assert.equal(shown.pairs, null)
  assert.deepEqual(shownRegions(shown, [1, 2], H, W), [{ areaPx: 2, top: 0, left: 3, bottom: 1, right: 3, classId: 1 }])
})

test('comparing: one side’s masks, or the union in the difference with each region’s area on either side', () => {
  const a = masksOnScreen(own, { masks: pairs, view: 'a' })
  assert.deepEqual(a.perClass, [pairs[0][0], pairs[1][0]])
  assert.deepEqual(shownRegions(a, [1, 2], H, W), [
    { areaPx: 4, top: 0, left: 0, bottom: 1, right: 1, classId: 1 },
    { areaPx: 2, top: 0, left: 5, bottom: 1, right: 5, classId: 2 },
  ])
  const b = masksOnScreen(own, { masks: pairs, view: 'b' })
  assert.deepEqual(shownRegions(b, [1, 2], H, W), [{ areaPx: 8, top: 0, left: 0, bottom: 1, right: 3, classId: 1 }])
  const diff = masksOnScreen(own, { masks: pairs, view: 'diff' })
  assert.deepEqual([...diff.perClass[0]], [...rows(1, 1, 1, 1, 0, 0)])
  assert.equal(diff.pairs, pairs)
  assert.deepEqual(shownRegions(diff, [1, 2], H, W), [
    { areaPx: 8, top: 0, left: 0, bottom: 1, right: 3, classId: 1, sides: { areaA: 4, areaB: 8 } },
    { areaPx: 2, top: 0, left: 5, bottom: 1, right: 5, classId: 2, sides: { areaA: 2, areaB: 0 } },
  ])
})

test('each view says whose masks it shows', () => {
  const names = { own: 'run 1 · own', a: 'run 1 · set', b: 'run 2 · other' }
  assert.equal(describeShownMasks('own', names), 'run 1 · own')
  assert.equal(describeShownMasks('a', names), 'A: run 1 · set')
  assert.equal(describeShownMasks('b', names), 'B: run 2 · other')
  assert.match(describeShownMasks('diff', names), /^A and B: run 1 · set and run 2 · other/)
})
