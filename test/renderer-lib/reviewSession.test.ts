import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readReviewPreferences, readReviewSession, REVIEW_SESSION_KEY, writeReviewPreferences, writeReviewSession, type ReviewSession } from '../../src-renderer/src/lib/reviewSession.ts'

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) }
}

const session: ReviewSession = {
  runId: 3,
  sourceId: 2,
  imageId: 41,
  profile: { name: 'run defaults*', gate: 0.3, upper: [0.5, 0.5, 0.5, 0.5], lower: [0.3, 0.3, 0.6, 0.3], minAreaModelPx: [37, 34, 316, 1183] },
  tool: 'eraser',
  selectedClass: 3,
  brushRadius: 12,
  viewport: { imageId: 41, viewerWidth: 730, viewport: { scale: 1.5, offsetX: -200, offsetY: 0 } },
}

test('a session written is read back as it was', () => {
  const storage = memoryStorage()
  writeReviewSession(storage, session)
  assert.deepEqual(readReviewSession(storage), session)
})

test('a missing, broken or foreign session reads as none, and bad parts fall back', () => {
  assert.equal(readReviewSession(null), null)
  assert.equal(readReviewSession(memoryStorage()), null)
  assert.equal(readReviewSession(memoryStorage({ [REVIEW_SESSION_KEY]: '{not json' })), null)
  assert.equal(readReviewSession(memoryStorage({ [REVIEW_SESSION_KEY]: '{"runId":"3","sourceId":2}' })), null)
  const partial = readReviewSession(memoryStorage({ [REVIEW_SESSION_KEY]: JSON.stringify({ runId: 3, sourceId: 2, profile: { name: 'x', upper: [0.5, 'a'] }, viewport: { imageId: 1 } }) }))
  assert.deepEqual(partial, { runId: 3, sourceId: 2, imageId: null, profile: null, tool: 'pan', selectedClass: 1, brushRadius: 8, viewport: null })
})

test('a storage that refuses writes loses only the convenience', () => {
  const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError') } }
  assert.doesNotThrow(() => writeReviewSession(full, session))
  assert.doesNotThrow(() => writeReviewPreferences(full, { advanceAfterTriage: false }))
})

test('preferences: advance after triage is on by default and kept when turned off', () => {
  const storage = memoryStorage()
  assert.deepEqual(readReviewPreferences(storage), { advanceAfterTriage: true })
  writeReviewPreferences(storage, { advanceAfterTriage: false })
  assert.deepEqual(readReviewPreferences(storage), { advanceAfterTriage: false })
})
