// The job queue with the real inference process, the fixture models and a real SQLite file.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { JobQueue, type ImageFinished, type JobSnapshot } from '../../../src-main/queue/index.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { forkWorker } from '../../../src-main/worker/index.ts'
import { killingWorker } from '../../helpers/workers.ts'
import { FIXTURES, stripWithBlock, tempDir, writeBlockImages, writeGray } from '../../helpers/images.ts'

const NCHW = join(FIXTURES, 'nchw')

async function setup(count: number) {
  const folder = tempDir()
  await writeBlockImages(folder, count)
  const store = openStore(join(tempDir(), 'queue.db'))
  return { folder, store }
}

function collect(queue: JobQueue) {
  const images: ImageFinished[] = []
  const states: string[] = []
  queue.onImageFinished((e) => images.push(e))
  queue.onJobProgress((job) => {
    if (states.at(-1) !== job.state) states.push(job.state)
  })
  return { images, states }
}

test('a job runs pending → running → done and records every image with its run', async () => {
  const { folder, store } = await setup(6)
  const queue = new JobQueue(store)
  const { images, states } = collect(queue)
  const progress: JobSnapshot['progress'][] = []
  queue.onJobProgress((job) => progress.push(job.progress))
  const { id, state } = queue.enqueue({ folder, modelsDir: NCHW, provider: 'cpu', threads: 1 })
  assert.equal(state, 'pending')
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  assert.deepEqual(states, ['running', 'done'])
  assert.deepEqual({ done: job.progress.done, total: job.progress.total, errors: job.progress.errors }, { done: 6, total: 6, errors: 0 })
  assert.ok(progress.at(-1)!.imagesPerSecond > 0)
  assert.equal(images.length, 6)
  assert.deepEqual(images.map((e) => e.classAreasPx!.findIndex((a) => a > 0)), [0, 1, 2, 3, 0, 1])

  const run = store.runs.get(job.runId!)!
  assert.deepEqual({ status: run.status, providerRequested: run.providerRequested, providerUsed: run.providerUsed }, { status: 'done', providerRequested: 'cpu', providerUsed: 'cpu' })
  assert.match(run.ortVersion!, /^1\.\d+\.\d+$/)
  assert.equal(store.predictions.countByRun(run.id), 6)
  const image = store.images.listBySource(job.sourceId!)[2]
  assert.equal(image.status, 'done')
  assert.match(image.sha256!, /^[0-9a-f]{64}$/)
  const maps = store.predictions.readProbMaps(store.predictions.get(run.id, image.id)!.id)!
  assert.deepEqual([maps.classCount, maps.height, maps.width], [4, 128, 800])
  assert.deepEqual(store.masks.fromRun(run.id, image.id).map((m) => m.rle !== ''), [false, false, true, false])
  assert.deepEqual(store.checkIntegrity(), [])
  store.close()
})

test('running the same folder again does only new and changed images', async () => {
  const { folder, store } = await setup(5)
  const settings = { folder, modelsDir: NCHW, provider: 'cpu' as const, threads: 1 }
  const first = new JobQueue(store)
  first.enqueue(settings)
  await first.idle()
  first.close()

  await writeBlockImages(folder, 2, 100) // two new files
  await writeGray(join(folder, 'coil-0001.jpg'), stripWithBlock(100), 'jpeg') // changed: now defect-free
  const again = new JobQueue(store)
  const { images } = collect(again)
  const { id } = again.enqueue(settings)
  await again.idle()
  again.close()
  assert.deepEqual(images.map((e) => e.path.split('/').at(-1)).sort(), ['coil-0001.jpg', 'coil-0100.jpg', 'coil-0101.jpg'])
  const job = again.get(id)!
  assert.equal(job.progress.done, 7)
  assert.equal(store.runs.list().length, 1) // same settings, same run
  assert.equal(store.predictions.countByRun(job.runId!), 7)
  const changed = store.images.findByPath(job.sourceId!, 'coil-0001.jpg')!
  assert.deepEqual(store.masks.fromRun(job.runId!, changed.id).map((m) => m.rle), ['', '', '', ''])
  store.close()
})

test('pause stops after the image in hand; resume finishes; cancel ends the job', async () => {
  const { folder, store } = await setup(8)
  const queue = new JobQueue(store)
  const { states } = collect(queue)
  let paused = false
  const { id } = queue.enqueue({ folder, modelsDir: NCHW, provider: 'cpu', threads: 1 })
  queue.onImageFinished(() => {
    if (!paused) {
      paused = true
      queue.pause(id)
    }
  })
  queue.onJobProgress((job) => {
    if (job.state === 'paused') {
      const done = store.predictions.countByRun(job.runId!)
      assert.ok(done >= 1 && done < 8, `paused with ${done} of 8 done`)
      setTimeout(() => queue.resume(id), 50)
    }
  })
  await queue.idle()
  assert.deepEqual(states, ['running', 'paused', 'running', 'done'])
  assert.equal(queue.get(id)!.progress.done, 8)

  const other = tempDir()
  await writeBlockImages(other, 8)
  const second = queue.enqueue({ folder: other, modelsDir: NCHW, provider: 'cpu', threads: 1 })
  queue.onImageFinished((e) => {
    if (e.jobId === second.id) queue.cancel(second.id)
  })
  await queue.idle()
  queue.close()
  const cancelled = queue.get(second.id)!
  assert.equal(cancelled.state, 'cancelled')
  assert.ok(cancelled.progress.done < 8)
  store.close()
})

test('a job paused while pending inspects nothing until it is resumed', async () => {
  const { folder, store } = await setup(4)
  const queue = new JobQueue(store)
  const { images, states } = collect(queue)
  const { id } = queue.enqueue({ folder, modelsDir: NCHW, provider: 'cpu', threads: 1 })
  queue.pause(id)
  let inspectedWhilePaused = -1
  queue.onJobProgress((job) => {
    if (job.state !== 'paused') return
    inspectedWhilePaused = images.length
    setTimeout(() => queue.resume(id), 50)
  })
  await queue.idle()
  queue.close()
  assert.equal(inspectedWhilePaused, 0)
  assert.deepEqual(states, ['running', 'paused', 'running', 'done'])
  assert.equal(images.length, 4)
  store.close()
})

test('a job that fails for its folder keeps the loaded inference process for the next job', async () => {
  const { folder, store } = await setup(2)
  let spawned = 0
  const queue = new JobQueue(store, { spawnWorker: () => (spawned++, forkWorker()) })
  const settings = { modelsDir: NCHW, provider: 'cpu' as const, threads: 1 }
  const first = queue.enqueue({ folder, ...settings })
  const missing = queue.enqueue({ folder: join(tempDir(), 'not-there'), ...settings })
  const again = queue.enqueue({ folder, ...settings })
  await queue.idle()
  queue.close()
  assert.deepEqual([first, missing, again].map((j) => queue.get(j.id)!.state), ['done', 'failed', 'done'])
  assert.equal(spawned, 1)
  store.close()
})

test('a killed inference process fails the image in flight; the job finishes and a re-run retries it', async () => {
  const { folder, store } = await setup(5)
  const spawnWorker = killingWorker(2)
  const queue = new JobQueue(store, { spawnWorker })
  const { images } = collect(queue)
  const settings = { folder, modelsDir: NCHW, provider: 'cpu' as const, threads: 1 }
  const { id } = queue.enqueue(settings)
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  assert.equal(job.state, 'done')
  assert.deepEqual({ done: job.progress.done, errors: job.progress.errors }, { done: 5, errors: 1 })
  const failed = images.filter((e) => !e.ok)
  assert.equal(failed.length, 1)
  assert.match(failed[0].error!, /the inference process ended while inspecting this image \(killed by SIGKILL\)/)
  assert.equal(store.images.findByPath(job.sourceId!, 'coil-0001.jpg')!.status, 'failed')

  const retry = new JobQueue(store)
  const retried = collect(retry)
  retry.enqueue(settings)
  await retry.idle()
  retry.close()
  assert.deepEqual(retried.images.map((e) => [e.path.split('/').at(-1), e.ok]), [['coil-0001.jpg', true]])
  assert.equal(store.predictions.countByRun(job.runId!), 5)
  store.close()
})

test('a model set that cannot load fails the job with the reason', async () => {
  const { folder, store } = await setup(1)
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: folder, provider: 'cpu' })
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  assert.equal(job.state, 'failed')
  assert.match(job.message!, /manifest\.json: cannot read the manifest \(ENOENT\)/)
  store.close()
})

test('forcing stage 2 for one gated-out image is a run of its own with the gate at 0', async () => {
  const folder = tempDir()
  await writeBlockImages(folder, 2)
  await writeGray(join(folder, 'dark.jpg'), stripWithBlock(20), 'jpeg') // mean intensity below the gate
  const store = openStore(join(tempDir(), 'force.db'))
  const queue = new JobQueue(store)
  const first = queue.enqueue({ folder, modelsDir: NCHW, provider: 'cpu', threads: 1 })
  await queue.idle()
  const run = queue.get(first.id)!
  const dark = store.images.findByPath(run.sourceId!, 'dark.jpg')!
  assert.equal(store.predictions.get(run.runId!, dark.id)!.gatePassed, false)

  const forced = queue.enqueue({ folder, modelsDir: NCHW, provider: 'cpu', threads: 1, only: ['dark.jpg'], inspector: { gateThreshold: 0 }, runKind: 'forced' })
  await queue.idle()
  queue.close()
  const forcedJob = queue.get(forced.id)!
  assert.notEqual(forcedJob.runId, run.runId)
  assert.equal(forcedJob.progress.total, 1)
  assert.equal(store.runs.get(forcedJob.runId!)!.gateThreshold, 0)
  assert.equal(store.runs.get(forcedJob.runId!)!.kind, 'forced')
  assert.equal(store.runs.get(run.runId!)!.kind, 'gated')
  const prediction = store.predictions.get(forcedJob.runId!, dark.id)!
  assert.equal(prediction.gatePassed, true)
  assert.ok(store.predictions.readProbMaps(prediction.id), 'stage 2 ran: its maps are stored')
  assert.equal(store.predictions.countByRun(forcedJob.runId!), 1)
  store.close()
})
