// `coilscope serve` stopped while a job runs: SIGTERM finishes the image in hand, then serve exits
// with 0, leaving the job paused (not interrupted) with every result saved and counted. Served
// again, the job is taken up and inspects only what is left: every image exactly once. The real
// CLI in a child process, real ONNX models, a real WebSocket client.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { WebSocket } from 'ws'
import { openStore } from '../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'
import { call, openSocket, startServe, type Answer } from '../helpers/serveProcess.ts'

const IMAGES = 40

function nextEvent(ws: WebSocket, event: string, matches: (payload: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(String(data))
      if (message.event !== event || !matches(message.payload)) return
      ws.off('message', onMessage)
      resolve(message.payload)
    }
    ws.on('message', onMessage)
  })
}

function value<T>({ result }: Answer): T {
  if (!result.ok) throw new Error(result.error)
  return result.value as T
}

test('SIGTERM to serve finishes the image in hand, leaves the job paused, and the next serve completes it without inspecting any image twice', async () => {
  const work = tempDir()
  const folder = join(work, 'coil')
  mkdirSync(folder)
  await writeBlockImages(folder, IMAGES)
  const db = join(work, 'lib.db')
  const args = ['--db', db, '--models-root', FIXTURES]

  const first = await startServe(args)
  let jobId: number
  try {
    const ws = await openSocket(first)
    const source = value<{ id: number }>(await call(ws, 'openFolder', { path: folder }))
    const firstImage = nextEvent(ws, 'imageFinished')
    jobId = value<{ id: number }>(await call(ws, 'startJob', { sourceId: source.id, modelSetDir: join(FIXTURES, 'nchw'), provider: 'cpu' })).id
    await firstImage
    assert.equal(await first.stop(), 0, first.stderr())
  } finally {
    await first.stop()
  }
  assert.match(first.stderr(), /SIGTERM: finishing the image in hand/)

  const store = openStore(db)
  const job = store.jobs.get(jobId)!
  const runId = job.runId!
  const predicted = store.predictions.countByRun(runId)
  assert.equal(job.state, 'paused', job.message ?? '')
  assert.equal(store.runs.get(runId)!.status, 'paused')
  assert.equal(job.done, predicted, 'the progress saved counts every result saved')
  assert.ok(predicted >= 1 && predicted < IMAGES, `stopped part-way (${predicted} of ${IMAGES})`)
  store.close()

  const second = await startServe(args)
  try {
    const ws = await openSocket(second)
    const finished = nextEvent(ws, 'jobProgress', (payload) => payload.id === jobId && payload.state === 'done')
    value(await call(ws, 'resumeJob', { jobId }))
    await finished
  } finally {
    assert.equal(await second.stop(), 0, second.stderr())
  }
  const after = openStore(db)
  assert.equal(after.jobs.get(jobId)!.state, 'done')
  const images = after.images.listBySource(job.sourceId!)
  assert.equal(after.predictions.countByRun(runId), IMAGES, 'as many results as images')
  assert.ok(images.every((image) => after.predictions.get(runId, image.id)), 'every image has its result')
  after.close()
})
