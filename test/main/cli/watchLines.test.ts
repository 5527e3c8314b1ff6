// The lines `coilscope watch` prints.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatImageLine, formatRejectedLine, formatStatusLine } from '../../../src-main/cli/watchLines.ts'
import { watchHealth } from '../../../src-shared/watchHealth.ts'

const at = new Date(Date.UTC(2026, 10, 30, 6, 1, 2, 345))
const event = { jobId: 1, imageId: 2, path: '/w/c1/a.jpg', ok: true, error: null, warning: null, gatedIn: true, classAreasPx: [0, 120, 0, 9], timings: null, storeMs: 1 }

test('one line per image: classes found, no defect, gated out, or the error', () => {
  assert.equal(formatImageLine(event, 'c1/a.jpg', at), '2026-11-30T06:01:02Z  c1/a.jpg  ok  class 2: 120 px, class 4: 9 px')
  assert.equal(formatImageLine({ ...event, classAreasPx: [0, 0, 0, 0] }, 'a.jpg', at), '2026-11-30T06:01:02Z  a.jpg  ok  no defect')
  assert.equal(formatImageLine({ ...event, gatedIn: false }, 'a.jpg', at), '2026-11-30T06:01:02Z  a.jpg  ok  gated out')
  assert.equal(formatImageLine({ ...event, ok: false, error: 'cannot read (ENOENT)' }, 'a.jpg', at), '2026-11-30T06:01:02Z  a.jpg  error  cannot read (ENOENT)')
  assert.equal(formatRejectedLine('b.jpg', 'not an image', at), '2026-11-30T06:01:02Z  b.jpg  error  not an image')
})

test('the status line warns when inspection falls behind', () => {
  const fine = watchHealth({ backlog: 0, arrivedInWindow: 6, inspectedInWindow: 6, lastArrivalMs: 0 }, 60_000, 4000)
  assert.equal(formatStatusLine('/w', fine, 12), 'watching /w: 12 inspected, backlog 0, 6.0 arrived/min vs 6.0 inspected/min, last image 4 s ago')
  const behind = watchHealth({ backlog: 40, arrivedInWindow: 60, inspectedInWindow: 20, lastArrivalMs: 0 }, 60_000, 0)
  assert.match(formatStatusLine('/w', behind, 12), /FALLING BEHIND/)
})
