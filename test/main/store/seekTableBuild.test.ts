// A seek table's build over an order held in memory: paused and resumed in slices, walked only as
// far as asked, it reads each row once and remembers exactly the row at every stride's end.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SeekTableBuild, seekPoint, type OrderWalk } from '../../../src-main/store/repos/seekTable.ts'

/** Two segments of ids (the second may be empty) read from arrays, counting what each call reads. */
function arrayWalk(segments: number[][], withMarksAt = false) {
  const read = { rows: 0, calls: 0, marksAt: 0 }
  const walk: OrderWalk = {
    nonEmpty: () => segments.map((ids) => ids.length > 0),
    chunk(segment, afterId, limit) {
      const ids = segments[segment]
      const from = afterId === null ? 0 : ids.indexOf(afterId) + 1
      const chunk = ids.slice(from, from + limit)
      read.rows += chunk.length
      read.calls++
      return chunk
    },
    marksAt: withMarksAt
      ? (segment, firstPosition, stride) => {
          read.marksAt++
          const ids = segments[segment]
          return { marks: ids.filter((_, n) => (firstPosition + n + 1) % stride === 0), rows: ids.length }
        }
      : undefined,
  }
  return { walk, read }
}

const order = [Array.from({ length: 1000 }, (_, k) => 5000 - k), Array.from({ length: 101 }, (_, k) => 20000 + k)]
const expectedMarks = (stride: number) => order.flat().filter((_, position) => (position + 1) % stride === 0)

test('a build paused after every statement and then finished reads each row once and marks every stride\'s end', () => {
  const { walk, read } = arrayWalk(order)
  const build = new SeekTableBuild(walk, 7)
  for (let k = 0; k < 20; k++) assert.equal(build.advance(1e-9), undefined)
  const table = build.advance()!
  assert.deepEqual(table.marks, expectedMarks(7))
  assert.equal(table.total, 1101)
  assert.equal(read.rows, 1101, 'no row read twice')
  assert.deepEqual(seekPoint(table, 702), { afterId: order[0][699], skip: 2 })
})

test('a build asked for a few marks walks only that far, and goes on from there', () => {
  const { walk, read } = arrayWalk(order)
  const build = new SeekTableBuild(walk, 10)
  assert.equal(build.advance(Infinity, 3), undefined)
  assert.ok(build.marks.length >= 3 && read.rows < 100, `${build.marks.length} marks from ${read.rows} rows`)
  assert.deepEqual(build.advance()!.marks, expectedMarks(10))
  assert.equal(read.rows, 1101)
})

test('an empty segment is not walked; a segment read at once is read so only by a build that must finish now', () => {
  const { walk, read } = arrayWalk([order[0], []])
  assert.deepEqual(new SeekTableBuild(walk, 9).advance()!.marks, order[0].filter((_, p) => (p + 1) % 9 === 0))
  const calls = read.calls
  assert.equal(calls, Math.ceil(1001 / 36), 'no statement for the empty segment')
  const whole = arrayWalk(order, true)
  assert.deepEqual(new SeekTableBuild(whole.walk, 9).advance()!.marks, expectedMarks(9))
  assert.equal(whole.read.rows, 0)
  const ahead = arrayWalk(order, true)
  const build = new SeekTableBuild(ahead.walk, 9)
  while (!build.advance(1e-9));
  assert.equal(ahead.read.marksAt, 0)
  assert.deepEqual(build.advance()!.marks, expectedMarks(9))
})

test('leaps from mark to mark give the same table and read in chunks only the rest of a segment past its last mark', () => {
  const { walk, read } = arrayWalk(order)
  let leapt = 0
  const leaping: OrderWalk = {
    ...walk,
    leap(segment, afterId, skip, stride, count) {
      const ids = order[segment]
      const from = (afterId === null ? 0 : ids.indexOf(afterId) + 1) + skip
      const found: number[] = []
      for (let k = from; k < ids.length && found.length < count; k += stride) found.push(ids[k])
      leapt += found.length
      return found
    },
  }
  assert.deepEqual(new SeekTableBuild(leaping, 7).advance()!.marks, expectedMarks(7))
  assert.equal(leapt, expectedMarks(7).length)
  assert.ok(read.rows < 4 * 7, `${read.rows} rows read in chunks`)
  // Paused after every statement (each overruns the slice): smaller chunks, the same table.
  const paused = new SeekTableBuild(leaping, 7)
  while (!paused.advance(1e-9));
  assert.deepEqual(paused.advance()!.marks, expectedMarks(7))
  assert.equal(paused.advance()!.total, 1101)
})
