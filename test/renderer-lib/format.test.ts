// How the Library writes numbers: durations, areas, rates, probabilities, percentages.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatArea, formatCount, formatDuration, formatPercent, formatProbability, formatRate } from '../../src-renderer/src/lib/format.ts'

test('formats the Library’s numbers', () => {
  const cases: [string, string, string][] = [
    ['duration', formatDuration(75), '01:15'],
    ['duration with hours', formatDuration(3725), '1:02:05'],
    ['unknown ETA', formatDuration(null), '--:--'],
    ['infinite ETA', formatDuration(Number.POSITIVE_INFINITY), '--:--'],
    ['small area', formatArea(950), '950'],
    ['area in thousands', formatArea(12_400), '12k'],
    ['area under 10k', formatArea(9_640), '9.6k'],
    ['area in millions', formatArea(1_300_000), '1.3M'],
    ['slow rate', formatRate(3.14), '3.1'],
    ['fast rate', formatRate(41.7), '42'],
    ['count', formatCount(10_000), '10,000'],
    ['probability', formatProbability(0.93456), '0.935'],
    ['no probability', formatProbability(null), '—'],
    ['percent rounds down', formatPercent(199, 200), '99 %'],
    ['percent of nothing', formatPercent(0, 0), '0 %'],
  ]
  for (const [name, actual, expected] of cases) assert.equal(actual, expected, name)
})
