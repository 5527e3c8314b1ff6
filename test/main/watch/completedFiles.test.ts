// The folder watch's view of a source with coil sub-folders: files in sub-folders arrive under
// their path from the source; hidden folders and excluded folders (the library's exports, when the
// library sits inside its source) are never reported.
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { watchCompletedFiles } from '../../../src-main/watch/completedFiles.ts'
import { tempDir } from '../../helpers/images.ts'

test('sub-folder files are reported by their path; hidden and excluded folders are not', async () => {
  const root = tempDir('coilscope-watch-tree-')
  for (const dir of ['C01', '.cache', 'exports/2']) mkdirSync(join(root, dir), { recursive: true })
  for (const file of ['C01/a.jpg', 'top.jpg', '.cache/b.jpg', 'exports/2/c.jpg']) writeFileSync(join(root, file), 'x')
  const seen: string[] = []
  const files = watchCompletedFiles(root, { stableMs: 50, exclude: [join(root, 'exports')], onComplete: (p) => seen.push(p), onRemoved: () => {}, onError: (e) => assert.fail(e) })
  try {
    await files.ready
    writeFileSync(join(root, 'exports', '2', 'd.jpg'), 'x') // written after the start: still not reported
    writeFileSync(join(root, 'C01', 'e.jpg'), 'x')
    for (let waited = 0; seen.length < 3 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 300)) // anything else would have come by now
    assert.deepEqual(seen.sort(), ['C01/a.jpg', 'C01/e.jpg', 'top.jpg'])
  } finally {
    await files.close()
  }
})
