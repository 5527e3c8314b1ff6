// Why a coil decision is out of date, at each reason's bound: only what happened strictly after it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { staleReasons } from '../../src-shared/decisionStaleness.ts'

const decided = { decidedAtMs: 1000, decisionRunId: 7, currentRunId: 7, lastEditAtMs: null, profileChangedAtMs: null }

test('nothing since the decision: not out of date', () => {
  assert.deepEqual(staleReasons(decided), [])
  assert.deepEqual(staleReasons({ ...decided, currentRunId: null }), [], 'no run with results now: nothing newer to answer')
})

test('each reason fires one millisecond after the decision, not at it', () => {
  assert.deepEqual(staleReasons({ ...decided, lastEditAtMs: 1000 }), [])
  assert.deepEqual(staleReasons({ ...decided, lastEditAtMs: 1001 }), ['masks edited since'])
  assert.deepEqual(staleReasons({ ...decided, profileChangedAtMs: 1000 }), [])
  assert.deepEqual(staleReasons({ ...decided, profileChangedAtMs: 1001 }), ['threshold profile changed since'])
  assert.deepEqual(staleReasons({ ...decided, currentRunId: 8 }), ['a newer run since'])
})

test('every reason that holds is named, in a fixed order', () => {
  assert.deepEqual(staleReasons({ ...decided, currentRunId: 9, lastEditAtMs: 2000, profileChangedAtMs: 3000 }),
    ['masks edited since', 'a newer run since', 'threshold profile changed since'])
})
