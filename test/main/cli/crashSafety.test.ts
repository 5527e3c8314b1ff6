// The CLI against crashes and hostile storage: kill -9 mid-run, a read-only output folder, a full disk.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openStore } from '../../../src-main/store/index.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'
import { countRows } from '../../helpers/watchCli.ts'

const BIN = fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url))
const NCHW = join(FIXTURES, 'nchw')
const COUNT = 200
const folder = tempDir()

before(async () => {
  await writeBlockImages(folder, COUNT)
})

const inspectArgs = (db: string, out: string) => ['inspect', folder, '--models', NCHW, '--provider', 'cpu', '--db', db, '--out', out]

/** Predictions stored so far, read as a second process would (0 before the file exists). */
const predictionCount = (db: string) => countRows(db, 'SELECT count(*) AS n FROM predictions')

test('kill -9 in the middle of a 200-image run, then the same command: nothing lost or duplicated, same CSV', async () => {
  const dir = tempDir()
  const reference = runCli(inspectArgs(join(dir, 'reference.db'), join(dir, 'reference.csv')))
  assert.equal(reference.status, 0, reference.stderr)

  const db = join(dir, 'crash.db')
  const out = join(dir, 'crash.csv')
  const child = spawn(process.execPath, [BIN, ...inspectArgs(db, out)], { stdio: 'ignore' })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  let seen = 0
  while (seen < 60 && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    seen = predictionCount(db)
  }
  child.kill('SIGKILL')
  assert.equal(await exited, 'SIGKILL')
  const atKill = predictionCount(db)
  assert.ok(atKill >= 60 && atKill < COUNT, `killed with ${atKill} of ${COUNT} done`)

  const resumed = runCli(inspectArgs(db, out))
  assert.equal(resumed.status, 0, resumed.stderr)
  assert.match(resumed.stderr, new RegExp(`Inspected ${COUNT - atKill} images .*; ${atKill} already done in this database`))
  const store = openStore(db)
  const [run] = store.runs.list()
  assert.equal(store.runs.list().length, 1)
  for (const image of store.images.listBySource(store.sources.list()[0].id)) {
    assert.ok(store.predictions.get(run.id, image.id), `${image.relativePath} has a prediction`)
    assert.deepEqual(store.masks.revisions(image.id, 1).map((m) => m.revision), [1], `${image.relativePath}: one revision`)
  }
  assert.equal(store.predictions.countByRun(run.id), COUNT)
  assert.deepEqual(store.checkIntegrity(), [])
  store.close()
  assert.equal(readFileSync(out, 'utf8'), readFileSync(join(dir, 'reference.csv'), 'utf8'))
})

// Real read-only and full filesystems need mount (root here and in CI).
const mountPoint = join(tempDir(), 'mnt')
const canMount = (() => {
  mkdirSync(mountPoint)
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]).status === 0
})()
after(() => {
  if (canMount) spawnSync('umount', [mountPoint])
  rmSync(mountPoint, { recursive: true, force: true })
})
const needsMount = { skip: !canMount && 'needs permission to mount a tmpfs' }

test('a read-only output folder: refused before the run, exit 2, nothing inspected', needsMount, () => {
  assert.equal(spawnSync('mount', ['-o', 'remount,ro', mountPoint]).status, 0)
  try {
    const dir = tempDir()
    const run = runCli(inspectArgs(join(dir, 'ok.db'), join(mountPoint, 's.csv')))
    assert.equal(run.status, 2)
    assert.equal(run.stderr.trim(), `coilscope: cannot write ${join(mountPoint, 's.csv')}: ${mountPoint} is not writable (EROFS)`)
    assert.equal(predictionCount(join(dir, 'ok.db')), 0)
    const dbThere = runCli(inspectArgs(join(mountPoint, 'r.db'), join(dir, 's.csv')))
    assert.equal(dbThere.status, 2)
    assert.equal(dbThere.stderr.trim(), `coilscope: cannot open database ${join(mountPoint, 'r.db')}: unable to open database file (${mountPoint} is not writable: EROFS)`)
  } finally {
    spawnSync('mount', ['-o', 'remount,rw', mountPoint])
  }
})

test('a disk that fills during the run: fails cleanly and the database stays consistent', needsMount, () => {
  const db = join(mountPoint, 'full.db')
  const run = runCli(inspectArgs(db, join(mountPoint, 'full.csv')))
  assert.equal(run.status, 1, run.stderr)
  assert.match(run.stderr.trim().split('\n').at(-1)!, new RegExp(`coilscope: cannot record results in ${db}: database or disk is full`))
  const copy = join(tempDir(), 'copy.db')
  spawnSync('cp', [db, copy]) // check it where there is room for the WAL
  for (const suffix of ['-wal', '-shm']) spawnSync('cp', [db + suffix, copy + suffix])
  const store = openStore(copy)
  assert.deepEqual(store.checkIntegrity(), [])
  const stored = store.predictions.countByRun(1)
  assert.ok(stored > 0 && stored < COUNT, `${stored} results stored before the disk filled`)
  // Every stored prediction is whole: its image is done and has its masks.
  for (const prediction of store.predictions.listByRun(1)) {
    assert.equal(store.images.get(prediction.imageId)!.status, 'done')
    assert.equal(store.masks.fromRun(1, prediction.imageId).length, 4)
  }
  store.close()
})
