// Jobs are rows: a `coilscope inspect` killed with SIGKILL leaves its job interrupted (not running),
// its run not running, and resuming the job from another process does only what is left.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { JobQueue, type ImageFinished } from '../../../src-main/queue/index.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'
import { countRows } from '../../helpers/watchCli.ts'

const BIN = fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url))
const NCHW = join(FIXTURES, 'nchw')
const COUNT = 60

test('kill -9 of the CLI mid-job: the job shows interrupted with its progress; resume does the rest once', async () => {
  const folder = tempDir()
  await writeBlockImages(folder, COUNT)
  const db = join(tempDir(), 'jobs.db')
  const child = spawn(process.execPath, [BIN, 'inspect', folder, '--models', NCHW, '--provider', 'cpu', '--threads', '1', '--db', db, '--out', join(tempDir(), 's.csv')], { stdio: 'ignore' })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  while (countRows(db, 'SELECT count(*) AS n FROM predictions') < 15 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50))
  child.kill('SIGKILL')
  await exited
  const atKill = countRows(db, 'SELECT count(*) AS n FROM predictions')
  assert.ok(atKill >= 15 && atKill < COUNT, `killed with ${atKill} of ${COUNT} done`)
  assert.equal(countRows(db, "SELECT count(*) AS n FROM jobs WHERE state = 'running'"), 1, 'the dead process left its job running')

  const store = openStore(db)
  const queue = new JobQueue(store)
  const [interruptedId] = queue.interruptedAtOpen
  const interrupted = queue.get(interruptedId)!
  assert.equal(interrupted.state, 'interrupted')
  assert.ok(interrupted.progress.done >= atKill - 1 && interrupted.progress.done <= atKill, `progress ${interrupted.progress.done} kept`)
  assert.equal(interrupted.progress.total, COUNT)
  assert.deepEqual(store.runs.list().map((r) => r.status), ['paused'], 'no run stays running')

  const inspected: ImageFinished[] = []
  queue.onImageFinished((e) => inspected.push(e))
  queue.resume(interruptedId)
  await queue.idle()
  assert.equal(queue.get(interruptedId)!.state, 'done')
  assert.equal(inspected.length, COUNT - atKill, 'only the images without a result')
  assert.equal(store.predictions.countByRun(1), COUNT)
  assert.equal(store.runs.get(1)!.status, 'done')
  // A job queued now gets a new id: ids do not restart with the process.
  const next = queue.enqueue({ folder, modelsDir: NCHW, provider: 'cpu', threads: 1 })
  assert.ok(next.id > interruptedId)
  await queue.idle()
  queue.close()
  assert.deepEqual(store.checkIntegrity(), [])
  store.close()
})

test('a job held by a live process is not taken as interrupted by a second one opening the library', async () => {
  const db = join(tempDir(), 'live.db')
  const first = openStore(db)
  const owner = new JobQueue(first)
  const folder = tempDir()
  await writeBlockImages(folder, 3)
  const paused = new Promise<void>((resolve) => owner.onJobProgress((job) => job.state === 'paused' && resolve()))
  const { id } = owner.enqueue({ folder, modelsDir: NCHW, provider: 'cpu', threads: 1 })
  owner.pause(id)
  await paused
  const second = openStore(db)
  const reader = new JobQueue(second)
  try {
    assert.deepEqual(reader.interruptedAtOpen, [])
    assert.equal(reader.get(id)!.state, 'paused')
    assert.throws(() => reader.cancel(id), /run by another process \(pid \d+ on /)
  } finally {
    reader.close()
    owner.close() // closing leaves the unfinished job interrupted, to resume next time
  }
  assert.equal(second.jobs.get(id)!.state, 'interrupted')
  second.close()
  first.close()
})

test('a job whose process is gone (its pid no longer exists) is marked interrupted on open', () => {
  const db = join(tempDir(), 'dead.db')
  const store = openStore(db)
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!
  const row = store.jobs.create({ kind: 'folder', folderPath: '/nowhere', settings: {}, owner: { pid: deadPid, host: hostname(), token: 't' } })
  store.jobs.update(row.id, { state: 'running' })
  const queue = new JobQueue(store)
  assert.deepEqual(queue.interruptedAtOpen, [row.id])
  assert.equal(store.jobs.get(row.id)!.state, 'interrupted')
  queue.close()
  store.close()
})
