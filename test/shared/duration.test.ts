import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatDuration } from '../../src-shared/duration.ts'

test('durations read as mm:ss, or h:mm:ss past an hour', () => {
  const cases: [number | null, string][] = [
    [0, '00:00'],
    [59.6, '01:00'],
    [75, '01:15'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [-3, '00:00'],
    [null, '--:--'],
    [Number.NaN, '--:--'],
    [Number.POSITIVE_INFINITY, '--:--'],
  ]
  for (const [seconds, expected] of cases) assert.equal(formatDuration(seconds), expected, String(seconds))
})
