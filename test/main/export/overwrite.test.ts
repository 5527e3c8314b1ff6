// Exports never replace or delete what the user had unless asked: through the real CLI (export and
// report) and through the export service the app and web host call (`overwrite`).
import assert from 'node:assert/strict'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ExportError, runExport } from '../../../src-main/export/index.ts'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'
import { makeReviewedRun, type ReviewedRun } from './reviewedRun.ts'

let fx: ReviewedRun
before(async () => {
  fx = await makeReviewedRun(4)
})
after(() => fx.store.close())

const exportCli = (what: string, out: string, extra: string[] = [], cwd?: string) =>
  runCli(['export', '--db', fx.dbPath, '--what', what, '--masks', 'reviewed', '--out', out, ...extra], { cwd })

/** A folder holding the user's own files. */
function folderWithUserFiles(): string {
  const dir = join(tempDir(), 'work')
  mkdirSync(dir)
  writeFileSync(join(dir, 'notes.txt'), 'mine')
  mkdirSync(join(dir, 'photos'))
  writeFileSync(join(dir, 'photos', 'a.jpg'), 'jpeg')
  return dir
}

const snapshot = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort()

for (const what of ['png', 'indexed-png']) {
  test(`${what} into a folder with files: refused, exit 2, the folder unchanged`, () => {
    const dir = folderWithUserFiles()
    const before = snapshot(dir)
    const run = exportCli(what, dir)
    assert.equal(run.status, 2, run.stderr)
    assert.equal(run.stderr.trim(), `coilscope: cannot write ${dir}: the folder has 2 entries in it (pass --force to write into it; only files of the names the export writes are replaced)`)
    assert.deepEqual(snapshot(dir), before)
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine')
  })
}

test('--out . in a working directory with files: refused, nothing deleted', () => {
  const dir = folderWithUserFiles()
  const before = snapshot(dir)
  const run = exportCli('png', '.', [], dir)
  assert.equal(run.status, 2, run.stderr)
  assert.match(run.stderr, /the folder has 2 entries in it/)
  assert.deepEqual(snapshot(dir), before)
})

test('png into an empty folder writes into it; --force into a folder with files keeps every other file', () => {
  const empty = join(tempDir(), 'masks')
  mkdirSync(empty)
  const first = exportCli('png', empty)
  assert.equal(first.status, 0, first.stderr)
  const exported = readdirSync(empty).sort()
  assert.equal(exported.length, 3 * 4 + 1, 'three images (the rejected one left out), four classes, the sidecar')

  const dir = folderWithUserFiles()
  writeFileSync(join(dir, exported[0]), 'an older mask of the same name')
  const forced = exportCli('png', dir, ['--force'])
  assert.equal(forced.status, 0, forced.stderr)
  assert.deepEqual(snapshot(dir), [...exported, 'notes.txt', 'photos', join('photos', 'a.jpg')].sort(), 'no temporary left behind')
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine')
  assert.equal(readFileSync(join(dir, 'photos', 'a.jpg'), 'utf8'), 'jpeg')
  assert.deepEqual(readFileSync(join(dir, exported[0])), readFileSync(join(empty, exported[0])), 'the file of the same name is the new export')
})

for (const what of ['csv', 'coco', 'reviews']) {
  test(`${what} over an existing file: refused and unchanged; --force replaces it`, () => {
    const dir = tempDir()
    const out = join(dir, `out.${what === 'coco' ? 'json' : 'csv'}`)
    writeFileSync(out, 'the user’s file')
    const refused = exportCli(what, out)
    assert.equal(refused.status, 2, refused.stderr)
    assert.equal(refused.stderr.trim(), `coilscope: cannot write ${out}: it already exists (pass --force to replace it)`)
    assert.equal(readFileSync(out, 'utf8'), 'the user’s file')
    assert.deepEqual(readdirSync(dir), ['out.' + (what === 'coco' ? 'json' : 'csv')])

    const forced = exportCli(what, out, ['--force'])
    assert.equal(forced.status, 0, forced.stderr)
    assert.notEqual(readFileSync(out, 'utf8'), 'the user’s file')
    assert.deepEqual(readdirSync(dir).length, 1)
  })
}

test('a csv where a folder is, and a png folder where a file is: refused even with --force', () => {
  const dir = folderWithUserFiles()
  const csv = exportCli('csv', dir, ['--force'])
  assert.equal(csv.status, 2)
  assert.equal(csv.stderr.trim(), `coilscope: cannot write ${dir}: a folder is in the way`)
  const file = join(dir, 'notes.txt')
  const png = exportCli('png', file, ['--force'])
  assert.equal(png.status, 2)
  assert.equal(png.stderr.trim(), `coilscope: cannot write ${file}: a file is in the way`)
  assert.equal(readFileSync(file, 'utf8'), 'mine')
})

test('report over an existing file: refused; --force replaces it', () => {
  const out = join(tempDir(), 'report.html')
  writeFileSync(out, 'last week')
  const refused = runCli(['report', '--db', fx.dbPath, '--out', out])
  assert.equal(refused.status, 2, refused.stderr)
  assert.equal(refused.stderr.trim(), `coilscope: cannot write ${out}: it already exists (pass --force to replace it)`)
  assert.equal(readFileSync(out, 'utf8'), 'last week')
  const forced = runCli(['report', '--db', fx.dbPath, '--out', out, '--force'])
  assert.equal(forced.status, 0, forced.stderr)
  assert.match(readFileSync(out, 'utf8'), /^<!doctype html>/i)
})

test('the service (exportRun): refuses without overwrite, merges with it, never deletes other files', async () => {
  const request = { sourceId: fx.sourceId, runId: fx.runId, masks: 'reviewed' as const }
  const dir = folderWithUserFiles()
  await assert.rejects(runExport(fx.store, { ...request, what: 'indexed-png', out: dir }), (error: Error) => {
    assert.ok(error instanceof ExportError)
    assert.equal(error.message, `${dir} is a folder with 2 entries in it; nothing was written (ask to overwrite to replace it)`)
    return true
  })
  assert.deepEqual(snapshot(dir), ['notes.txt', 'photos', join('photos', 'a.jpg')])
  const written = await runExport(fx.store, { ...request, what: 'indexed-png', out: dir, overwrite: true })
  assert.equal(readdirSync(dir).length, 2 + written.files)
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine')

  const file = join(dir, 'notes.txt')
  await assert.rejects(runExport(fx.store, { ...request, what: 'csv', out: file }), { message: `${file} already exists; nothing was written (ask to overwrite to replace it)` })
  assert.equal(readFileSync(file, 'utf8'), 'mine')
})
