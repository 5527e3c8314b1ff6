// The folder watch's view of a source with coil sub-folders: files in sub-folders arrive under
// their path from the source; hidden folders and excluded folders (the library's exports, when the
// library sits inside its source) are never reported.
import assert from 'node:assert/strict'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 25) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

test('a file replaced in place is reported again once its new content is complete; a removed one is reported removed', async () => {
  const root = tempDir('coilscope-watch-replace-')
  writeFileSync(join(root, 'a.jpg'), 'first')
  const seen: string[] = []
  const files = watchCompletedFiles(root, { stableMs: 100, onComplete: (p) => seen.push(`complete ${p}`), onRemoved: (p) => seen.push(`removed ${p}`), onError: (e) => assert.fail(e) })
  try {
    await files.ready
    await waitFor(() => seen.length === 1, 'the catch-up')
    await sleep(50)
    writeFileSync(join(root, 'a.jpg'), 'second, longer content') // truncated and rewritten where it is
    await waitFor(() => seen.length === 2, 'the replacement')
    rmSync(join(root, 'a.jpg'))
    await waitFor(() => seen.length === 3, 'the removal')
    await sleep(300) // anything else would have come by now
    assert.deepEqual(seen, ['complete a.jpg', 'complete a.jpg', 'removed a.jpg'])
  } finally {
    await files.close()
  }
})

test('after close() no callback fires, not even for files that were waiting to settle', async () => {
  const root = tempDir('coilscope-watch-close-')
  const seen: string[] = []
  let isClosed = false
  const record = (what: string) => seen.push(`${isClosed ? 'after close: ' : ''}${what}`)
  const files = watchCompletedFiles(root, { stableMs: 400, onComplete: (p) => record(`complete ${p}`), onRemoved: (p) => record(`removed ${p}`), onError: (e) => record(`error ${e.message}`) })
  await files.ready
  writeFileSync(join(root, 'a.jpg'), 'x')
  await waitFor(() => seen.length === 1, 'a.jpg reported')
  writeFileSync(join(root, 'a.jpg'), 'replaced')
  writeFileSync(join(root, 'b.jpg'), 'x')
  await sleep(200) // both events are in: a.jpg and b.jpg are waiting to settle
  await files.close()
  isClosed = true
  rmSync(join(root, 'a.jpg'))
  writeFileSync(join(root, 'c.jpg'), 'x')
  mkdirSync(join(root, 'C02'))
  writeFileSync(join(root, 'C02', 'd.jpg'), 'x')
  await sleep(1000)
  assert.deepEqual(seen, ['complete a.jpg'])
})

test('folders that arrive with sub-folders in them (mkdir -p, a tree moved in) are followed all the way down', async () => {
  const root = tempDir('coilscope-watch-nested-')
  const outside = tempDir('coilscope-watch-outside-')
  const seen: string[] = []
  const files = watchCompletedFiles(root, { stableMs: 100, onComplete: (p) => seen.push(p), onRemoved: () => {}, onError: (e) => assert.fail(e) })
  try {
    await files.ready
    mkdirSync(join(root, '2026-11-30', 'C01'), { recursive: true })
    writeFileSync(join(root, '2026-11-30', 'C01', 'a.jpg'), 'x')
    mkdirSync(join(outside, 'C02', 'top'), { recursive: true })
    writeFileSync(join(outside, 'C02', 'top', 'b.jpg'), 'x')
    renameSync(join(outside, 'C02'), join(root, 'C02'))
    await waitFor(() => seen.length === 2, 'the files that came with the folders')
    // Written later into the sub-folders that arrived inside a new folder: still seen.
    writeFileSync(join(root, '2026-11-30', 'C01', 'c.jpg'), 'x')
    writeFileSync(join(root, 'C02', 'top', 'd.jpg'), 'x')
    await waitFor(() => seen.length === 4, 'the files written later')
    await sleep(300)
    assert.deepEqual(seen.sort(), ['2026-11-30/C01/a.jpg', '2026-11-30/C01/c.jpg', 'C02/top/b.jpg', 'C02/top/d.jpg'])
  } finally {
    await files.close()
  }
})
