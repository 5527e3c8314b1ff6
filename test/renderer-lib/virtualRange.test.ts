// The virtualised list's window of rows: visible rows plus overscan, clamped at both ends, and the
// scroll that brings a row into view.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scrollToShow, visibleRows } from '../../src-renderer/src/lib/virtualRange.ts'

test('renders the rows in view plus a few either side, never past the ends', () => {
  const cases: [string, Parameters<typeof visibleRows>, { start: number; end: number }][] = [
    ['top of 10,000', [0, 480, 48, 10_000, 6], { start: 0, end: 17 }],
    ['middle', [48 * 5000, 480, 48, 10_000, 6], { start: 4994, end: 5017 }],
    ['part-scrolled row', [48 * 5000 + 20, 480, 48, 10_000, 6], { start: 4994, end: 5017 }],
    ['bottom', [48 * 10_000 - 480, 480, 48, 10_000, 6], { start: 9984, end: 10_000 }],
    ['scrolled past the end (rows removed)', [48 * 20_000, 480, 48, 100, 6], { start: 93, end: 100 }],
    ['fewer rows than fit', [0, 480, 48, 3, 6], { start: 0, end: 3 }],
    ['empty list', [0, 480, 48, 0, 6], { start: 0, end: 0 }],
    ['not laid out yet', [0, 0, 48, 10_000, 6], { start: 0, end: 7 }],
  ]
  for (const [name, args, expected] of cases) assert.deepEqual(visibleRows(...args), expected, name)
  const { start, end } = visibleRows(48 * 7777, 1080, 48, 10_000)
  assert.ok(end - start <= 36, 'a 10,000-row list keeps a screenful of rows in the DOM')
})

test('scrolls just enough to show a row, and not at all when it is in view', () => {
  assert.equal(scrollToShow(9, 0, 480, 48), null, 'the last row in view')
  assert.equal(scrollToShow(10, 0, 480, 48), 48, 'one row below: scroll one row')
  assert.equal(scrollToShow(20, 0, 480, 48), 48 * 21 - 480)
  assert.equal(scrollToShow(2, 480, 480, 48), 96)
})
