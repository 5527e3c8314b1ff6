// Whether a watched source keeps up: rates, backlog time and the falling-behind flag at their edges.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { watchHealth } from '../../src-shared/watchHealth.ts'

const MINUTE = 60_000
const counts = (backlog: number, arrived: number, inspected: number, lastArrivalMs: number | null = 0) => ({ backlog, arrivedInWindow: arrived, inspectedInWindow: inspected, lastArrivalMs })

test('rates per minute over the window, and the time since the last image', () => {
  const h = watchHealth(counts(0, 30, 30, 10_000), 5 * MINUTE, 40_000)
  assert.deepEqual([h.arrivalsPerMinute, h.inspectionsPerMinute, h.secondsSinceLastImage, h.backlogSeconds, h.isFallingBehind], [6, 6, 30, 0, false])
  assert.equal(watchHealth(counts(0, 0, 0, null), MINUTE, 0).secondsSinceLastImage, null)
})

test('falling behind: arrivals outpace inspections with images waiting, or the backlog takes over a minute', () => {
  const cases: [string, ReturnType<typeof counts>, boolean][] = [
    ['keeping up', counts(2, 60, 60), false],
    ['outpaced but only two waiting', counts(2, 100, 60), false],
    ['outpaced with three waiting', counts(3, 100, 60), true],
    ['equal rates, 61 s of backlog', counts(61, 60, 60), true],
    ['equal rates, 60 s of backlog', counts(60, 60, 60), false],
    ['nothing inspected lately, images waiting', counts(5, 5, 0), true],
    ['idle', counts(0, 0, 0), false],
  ]
  for (const [name, input, expected] of cases) assert.equal(watchHealth(input, MINUTE, 0).isFallingBehind, expected, name)
})
