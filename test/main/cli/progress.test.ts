import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatProgress, ProgressReporter } from '../../../src-main/cli/progress.ts'

/** Collects what a reporter writes. */
function collector(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = []
  return { stream: { write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream, written }
}

test('off a terminal: no line before an image is done, then lines at most once per interval, and always the last', () => {
  const { stream, written } = collector()
  const progress = new ProgressReporter(stream, false, 0)
  progress.update({ done: 0, total: 3, errors: 0 })
  assert.deepEqual(written, [])
  progress.update({ done: 1, total: 3, errors: 0 })
  progress.update({ done: 3, total: 3, errors: 1 })
  assert.equal(written.length, 2)
  assert.match(written[0], /^\[#{9}-{19}\] 1\/3 {2}\S+ images\/s {2}ETA \S+\n$/)
  assert.match(written[1], /^\[#{28}\] 3\/3 .* 1 error\n$/)

  const { stream: slow, written: fewer } = collector()
  const hourly = new ProgressReporter(slow, false, 3_600_000)
  for (let done = 1; done <= 5; done++) hourly.update({ done, total: 5, errors: 0 })
  assert.equal(fewer.length, 1)
  assert.match(fewer[0], /5\/5/)
})

test('on a terminal: one line redrawn in place, from the start', () => {
  const { stream, written } = collector()
  const progress = new ProgressReporter(stream, true)
  progress.update({ done: 0, total: 2, errors: 0 })
  assert.equal(written.length, 1)
  assert.match(written[0], /^\r\x1b\[2K\[-{28}\] 0\/2 .*ETA --:--$/)
})

test('the line: bar, count, rate and ETA', () => {
  assert.equal(formatProgress({ done: 50, total: 100, errors: 0 }, 25, 10), '[#####-----] 50/100  2.0 images/s  ETA 00:25')
})
