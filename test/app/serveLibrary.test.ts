// `coilscope serve` over a library it cannot use as it is: a folder or a damaged file is named in
// the message; a library on a read-only mount is served from a read-only copy, said so, and can
// still be browsed and exported. The real CLI in a child process and a real WebSocket client.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { openStore } from '../../src-main/store/index.ts'
import { runCli } from '../helpers/cli.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'
import { call, openSocket, startServe } from '../helpers/serveProcess.ts'

const cleanups: (() => void)[] = []
after(() => cleanups.reverse().forEach((cleanup) => cleanup()))

test('a folder given as the database is named as such', () => {
  const folder = join(tempDir(), 'lib.db')
  mkdirSync(folder)
  const served = runCli(['serve', '--port', '0', '--db', folder])
  assert.notEqual(served.status, 0)
  assert.equal(served.stderr.trim(), `coilscope: ${folder} is a folder, not a database file`)
})

test('a damaged database is named in the message', () => {
  const path = join(tempDir(), 'lib.db')
  openStore(path).close()
  const fd = openSync(path, 'r+')
  // The 100-byte header survives, the schema's root page does not. (A damaged data page is found
  // when it is read: opening a library no longer scans it.)
  const garbage = Buffer.alloc(4096 - 100, 0x41)
  writeSync(fd, garbage, 0, garbage.length, 100)
  closeSync(fd)
  const served = runCli(['serve', '--port', '0', '--db', path])
  assert.notEqual(served.status, 0)
  assert.match(served.stderr, new RegExp(`^coilscope: cannot open database ${path}: database disk image is malformed`))
})

/** Makes `folder` read-only: a read-only bind mount as root (root ignores permissions), else chmod. */
function makeReadOnly(folder: string): string | null {
  if (process.getuid?.() !== 0) {
    chmodSync(join(folder, 'lib.db'), 0o444)
    chmodSync(folder, 0o555)
    cleanups.push(() => chmodSync(folder, 0o755))
    return folder
  }
  const mounted = `${folder}-ro`
  mkdirSync(mounted)
  const bind = spawnSync('mount', ['--bind', folder, mounted])
  if (bind.status !== 0) return null
  cleanups.push(() => spawnSync('umount', [mounted]))
  return spawnSync('mount', ['-o', 'remount,ro,bind', mounted]).status === 0 ? mounted : null
}

test('a library on a read-only mount is served read-only, says so, and exports to the browser', async (t) => {
  const work = tempDir()
  const library = join(work, 'library')
  const images = join(work, 'coil')
  mkdirSync(library)
  mkdirSync(images)
  await writeBlockImages(images, 2)
  const inspected = runCli(['inspect', images, '--db', join(library, 'lib.db'), '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(work, 'submission.csv')])
  assert.equal(inspected.status, 0, inspected.stderr)
  const readOnly = makeReadOnly(library)
  if (!readOnly) return t.skip('cannot make a read-only mount here (root without mount privilege)')

  const served = await startServe(['--db', join(readOnly, 'lib.db')])
  cleanups.push(() => void served.stop())
  assert.match(served.stderr(), new RegExp(`${readOnly}/lib\\.db cannot be written here .*read-only copy`))
  const ws = await openSocket(served)
  const sources = (await call(ws, 'listSources')).result as { ok: true; value: { id: number; latestRunId: number }[] }
  assert.equal(sources.value.length, 1)
  const run = { sourceId: sources.value[0].id, runId: sources.value[0].latestRunId }
  const exported = (await call(ws, 'exportRun', { ...run, what: 'csv', out: 'run.csv' })).result as { ok: true; value: { downloadUrl: string } }
  assert.ok(exported.ok, JSON.stringify(exported))
  const download = await fetch(`${served.origin}${exported.value.downloadUrl}`)
  assert.match(await download.text(), /^ImageId_ClassId,EncodedPixels/)
  const review = (await call(ws, 'setReview', { imageId: 1, status: 'accepted', note: '' })).result
  assert.equal(review.ok, false)
  assert.equal((review as { error: string }).error, 'setReview: the library is open read-only; nothing was saved')
  ws.close()
  assert.equal(await served.stop(), 0)
})
