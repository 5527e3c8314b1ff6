// What a killed quantize leaves: `.<name>.partial-<pid>` beside the new set. The next quantize into
// that folder and the next models listing remove the ones whose process has exited, say so, and
// never touch one whose process still runs (here, this test's own). Real CLI in a child process.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { isProcessAlive, parsePartialName, partialFolderFor } from '../../../src-main/quantize/partialFolders.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const root = tempDir('coilscope-partials-')
const calib = join(root, 'calibration')
const setDir = join(root, 'nhwc')
/** The pid of a process that has exited. */
let exitedPid = 0

before(async () => {
  mkdirSync(calib)
  await writeBlockImages(calib, 2)
  cpSync(join(FIXTURES, 'nhwc'), setDir, { recursive: true })
  exitedPid = spawnSync(process.execPath, ['-e', '']).pid!
  assert.equal(isProcessAlive(exitedPid), false, 'the child has exited')
  assert.equal(isProcessAlive(process.pid), true)
})

/** A partial folder as a quantize leaves it once its manifest is written: a whole set, by its look. */
function leavePartial(dir: string, target: string, pid: number): string {
  const partial = partialFolderFor(join(dir, target), pid)
  cpSync(setDir, partial, { recursive: true })
  return partial
}

test('partial folder names round-trip; other names are not partial folders', () => {
  assert.deepEqual(parsePartialName('.nhwc-int8.partial-4242'), { target: 'nhwc-int8', pid: 4242 })
  assert.match(partialFolderFor('/models/nhwc-int8', 4242), /[\\/]\.nhwc-int8\.partial-4242$/)
  for (const name of ['nhwc-int8', '.nhwc-int8.partial-', '.nhwc-int8.partial-12a', 'nhwc.partial-12']) assert.equal(parsePartialName(name), null, name)
})

test('a later quantize removes the partial folder of a process that exited, and keeps a running one', () => {
  const out = join(root, 'sets')
  mkdirSync(out)
  const stale = leavePartial(out, 'nhwc-int8', exitedPid)
  const live = leavePartial(out, 'other-int8', process.pid)
  writeFileSync(join(out, 'notes.partial-1'), 'a file, not ours')

  const run = runCli(['models', 'quantize', setDir, '--calibrate', calib, '--out', join(out, 'nhwc-int8'), '--threads', '1'])
  assert.equal(run.status, 0, run.stderr)
  assert.ok(run.stderr.includes(`removed ${stale}: an unfinished quantize left it (process ${exitedPid} is no longer running)`), run.stderr)
  assert.doesNotMatch(run.stderr, /other-int8/)
  assert.equal(existsSync(stale), false)
  assert.ok(existsSync(join(live, 'manifest.json')), 'the running process\'s folder is kept whole')
  assert.deepEqual(readdirSync(out).sort(), [`.other-int8.partial-${process.pid}`, 'nhwc-int8', 'notes.partial-1'])
})

test('the models listing lists no partial folder, removes the stale one and says so', () => {
  const models = join(root, 'models')
  mkdirSync(models)
  cpSync(setDir, join(models, 'nhwc'), { recursive: true })
  const stale = leavePartial(models, 'nhwc-int8', exitedPid)
  const live = leavePartial(models, 'nhwc-fp16', process.pid)

  const run = runCli(['models', '--root', models, '--json'])
  assert.equal(run.status, 0, run.stderr)
  assert.deepEqual(JSON.parse(run.stdout).map((s: { dir: string }) => s.dir), [join(models, 'nhwc')])
  assert.ok(run.stderr.includes(`removed ${stale}: an unfinished quantize left it (process ${exitedPid} is no longer running)`), run.stderr)
  assert.equal(existsSync(stale), false)
  assert.ok(existsSync(join(live, 'manifest.json')))
})
