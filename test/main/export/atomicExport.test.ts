// Exports are whole or absent: a failed export leaves no partial file or folder (and no temporary
// one) and says why — a missing folder, a read-only filesystem, a disk that fills mid-export.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ExportError, runExport, writeDirAtomic, type ExportKind } from '../../../src-main/export/index.ts'
import { tempDir } from '../../helpers/images.ts'
import { makeReviewedRun, type ReviewedRun } from './reviewedRun.ts'

let fx: ReviewedRun
before(async () => {
  fx = await makeReviewedRun(4)
})
after(() => fx.store.close())

const exportTo = (what: ExportKind, out: string) => runExport(fx.store, { what, out, sourceId: fx.sourceId, runId: fx.runId, masks: 'reviewed' })

test('a folder export into a folder with files merges only with overwrite; a failing fill leaves the folder as it was and no temporary', async () => {
  const parent = tempDir()
  const out = join(parent, 'masks')
  mkdirSync(out)
  writeFileSync(join(out, 'stale.png'), 'old')
  await assert.rejects(exportTo('png', out), /is a folder with 1 entry in it/)
  assert.deepEqual(readdirSync(out), ['stale.png'])
  await runExport(fx.store, { what: 'png', out, sourceId: fx.sourceId, runId: fx.runId, masks: 'reviewed', overwrite: true })
  assert.ok(existsSync(join(out, 'stale.png')), 'a file the export does not write is kept')
  assert.equal(readdirSync(out).length, 1 + 3 * 4 + 1, 'three images (the rejected one left out), four classes, the sidecar')
  assert.deepEqual(readdirSync(parent), ['masks'])

  await assert.rejects(
    writeDirAtomic(
      out,
      async (dir) => {
        writeFileSync(join(dir, 'half.png'), 'x')
        throw new Error('encoder failed')
      },
      { overwrite: true },
    ),
    /encoder failed/,
  )
  assert.deepEqual(readdirSync(parent), ['masks'], 'no temporary folder left')
  assert.equal(readdirSync(out).length, 14, 'the previous export is untouched, no temporary inside')

  const fresh = join(parent, 'fresh')
  await assert.rejects(
    writeDirAtomic(fresh, async (dir) => {
      writeFileSync(join(dir, 'half.png'), 'x')
      throw new Error('encoder failed')
    }),
    /encoder failed/,
  )
  assert.deepEqual(readdirSync(parent), ['masks'], 'no partial new folder, no temporary')
})

test('into a missing folder: a clear error and nothing written', async () => {
  const parent = tempDir()
  for (const what of ['csv', 'png', 'coco'] as const) {
    const out = join(parent, 'no-such-folder', `out-${what}`)
    await assert.rejects(exportTo(what, out), (error: Error) => {
      assert.ok(error instanceof ExportError)
      assert.equal(error.message, `cannot write into ${join(parent, 'no-such-folder')}: no such folder`)
      return true
    })
  }
  assert.deepEqual(readdirSync(parent), [])
})

// Real read-only and full filesystems need mount (root here and in CI).
const mountPoint = join(tempDir(), 'mnt')
const canMount = (() => {
  mkdirSync(mountPoint)
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32k', 'tmpfs', mountPoint]).status === 0
})()
after(() => {
  if (canMount) spawnSync('umount', [mountPoint])
  rmSync(mountPoint, { recursive: true, force: true })
})
const needsMount = { skip: !canMount && 'needs permission to mount a tmpfs' }

test('on a read-only filesystem: EROFS named, nothing left', needsMount, async () => {
  assert.equal(spawnSync('mount', ['-o', 'remount,ro', mountPoint]).status, 0)
  try {
    for (const what of ['csv', 'indexed-png', 'reviews'] as const) {
      const out = join(mountPoint, `out-${what}`)
      await assert.rejects(exportTo(what, out), { message: `cannot write ${out}: read-only file system (EROFS)` })
    }
    assert.deepEqual(readdirSync(mountPoint), [])
  } finally {
    spawnSync('mount', ['-o', 'remount,rw', mountPoint])
  }
})

test('a disk that fills mid-export: ENOSPC named, no partial folder and no temporary', needsMount, async () => {
  // 13 files at a 4 KiB page each cannot fit in 32 KiB: the disk fills part-way through.
  const out = join(mountPoint, 'masks')
  await assert.rejects(exportTo('png', out), { message: `cannot write ${out}: no space left on the device (ENOSPC)` })
  assert.deepEqual(readdirSync(mountPoint), [])
  // What fits is still written whole.
  await exportTo('csv', join(mountPoint, 'masks.csv'))
  assert.match(readFileSync(join(mountPoint, 'masks.csv'), 'utf8'), /^ImageId_ClassId,EncodedPixels\n/)
  assert.deepEqual(readdirSync(mountPoint), ['masks.csv'])
})
