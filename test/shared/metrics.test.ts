import assert from 'node:assert/strict'
import { test } from 'node:test'
import { diceOfRle, scoreMasks } from '../../src-shared/metrics.ts'

test('Dice on hand-checked cases', () => {
  assert.equal(diceOfRle('', ''), 1) // both empty
  assert.equal(diceOfRle('1 10', ''), 0) // prediction on an empty truth
  assert.equal(diceOfRle('', '1 10'), 0) // missed defect
  assert.equal(diceOfRle('1 10', '1 10'), 1)
  assert.equal(diceOfRle('1 10', '6 10'), (2 * 5) / 20) // overlap 6..10
  assert.equal(diceOfRle('1 2 10 2', '2 9'), (2 * 2) / 13) // {1,2,10,11} ∩ {2..10} = {2,10}
})

test('score: mean over every pair, with per-class breakdowns', () => {
  const truth = [
    { imageId: 'a', classId: 1, rle: '1 10' },
    { imageId: 'b', classId: 1, rle: '1 10' },
    { imageId: 'b', classId: 2, rle: '50 10' },
  ]
  const predicted = [
    { imageId: 'a', classId: 1, rle: '1 10' }, // perfect
    { imageId: 'b', classId: 2, rle: '55 10' }, // half overlap: 2·5/20 = 0.5
    { imageId: 'c', classId: 2, rle: '1 1' }, // false positive
  ]
  const score = scoreMasks(['a', 'b', 'c'], [1, 2], truth, predicted)
  // Pairs: a1=1, b1=0 (missed), c1=1, a2=1, b2=0.5, c2=0
  assert.equal(score.pairs, 6)
  assert.equal(score.meanDice, (1 + 0 + 1 + 1 + 0.5 + 0) / 6)
  const [c1, c2] = score.perClass
  assert.deepEqual(c1, { classId: 1, meanDice: 2 / 3, diceOnDefects: 0.5, defectImages: 2, detectionRecall: 0.5, emptyImages: 1, falsePositiveRate: 0 })
  assert.deepEqual(c2, { classId: 2, meanDice: 1.5 / 3, diceOnDefects: 0.5, defectImages: 1, detectionRecall: 1, emptyImages: 2, falsePositiveRate: 0.5 })
})

test('a class with no defects reports null rates instead of dividing by zero', () => {
  const score = scoreMasks(['a'], [1], [], [])
  assert.equal(score.meanDice, 1)
  assert.equal(score.perClass[0].diceOnDefects, null)
  assert.equal(score.perClass[0].detectionRecall, null)
  assert.equal(score.perClass[0].falsePositiveRate, 0)
})
