// The background's margin steps are sized to a budget of write-lock time: grown (at most doubled)
// while steps are quick, cut in proportion once one runs long, and kept within bounds.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BUSY_STEP_MS, IDLE_STEP_MS, nextStepRows } from '../../../src-main/review/marginSteps.ts'

test('a step is sized to its lock budget: at most doubled, cut in proportion, within bounds', () => {
  assert.equal(nextStepRows(2000, 10, IDLE_STEP_MS), 4000, 'quick: doubled, not scaled to 15000 at once')
  assert.equal(nextStepRows(2000, 50, IDLE_STEP_MS), 3000, 'scaled up to the budget')
  assert.equal(nextStepRows(8000, 100, BUSY_STEP_MS), 2000, 'someone else writes: cut to the short budget')
  assert.equal(nextStepRows(1000, 5000, BUSY_STEP_MS), 200, 'never below the least step')
  assert.equal(nextStepRows(40_000, 1, IDLE_STEP_MS), 50_000, 'never above the largest step')
  assert.equal(nextStepRows(2000, 0, IDLE_STEP_MS), 4000, 'a step too quick to time is doubled')
})
