// The real inference process (child_process.fork) on the fixture models, including its death.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, test } from 'node:test'
import type { FileOutcome } from '../../../src-main/pipeline/index.ts'
import { forkWorker, InferenceClient, WorkerLoadError } from '../../../src-main/worker/index.ts'
import { killingWorker } from '../../helpers/workers.ts'
import { FIXTURES, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

const BLOCK = { value: 240, top: 64, bottom: 128, left: 200, right: 800 }
const dir = tempDir()
const paths = Array.from({ length: 6 }, (_, i) => join(dir, `img-${i}.png`))

before(async () => {
  for (const path of paths) await writeGray(path, stripWithBlock(100, BLOCK), 'png')
})

test('inspects in a separate process and streams one outcome per image', async () => {
  const client = new InferenceClient(forkWorker, { modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  const info = await client.start()
  assert.equal(info.manifest.id, 'fixture-nchw')
  assert.equal(info.provider.provider, 'cpu')
  const outcomes: FileOutcome[] = []
  await client.inspect([...paths, join(dir, 'missing.png')], (o) => outcomes.push(o))
  client.close()
  assert.deepEqual(outcomes.map((o) => o.path), [...paths, join(dir, 'missing.png')])
  const good = outcomes.filter((o) => o.ok)
  assert.equal(good.length, 6)
  for (const o of good) {
    assert.equal(o.inspection.classes[1].areaPx, 64 * 600)
    assert.ok(o.inspection.probMapsU8 instanceof Uint8Array) // typed arrays cross the pipe intact
    assert.match(o.sha256, /^[0-9a-f]{64}$/)
  }
  assert.match((outcomes[6] as { error: string }).error, /cannot read \(ENOENT\)/)
})

test('a killed process fails only the image in flight; a fresh one finishes the job', async () => {
  // Kill the real process when it takes its third image into the models.
  const spawn = killingWorker(3)
  const client = new InferenceClient(spawn, { modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  const outcomes: FileOutcome[] = []
  await client.inspect(paths, (o) => outcomes.push(o))
  client.close()
  assert.equal(client.restarts, 1)
  assert.deepEqual(outcomes.map((o) => o.path).sort(), [...paths].sort())
  const failed = outcomes.filter((o) => !o.ok)
  assert.equal(failed.length, 1)
  assert.equal(failed[0].path, paths[2])
  assert.match((failed[0] as { error: string }).error, /the inference process ended while inspecting this image \(killed by SIGKILL\)/)
})

test('a process killed during a batch fails the whole batch; the rest is retried', async () => {
  // Batches of 3: killed when the third image of the first batch goes into the models.
  const client = new InferenceClient(killingWorker(3), { modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1, inspector: { batchSize: 3 } })
  const outcomes: FileOutcome[] = []
  await client.inspect(paths, (o) => outcomes.push(o))
  client.close()
  assert.equal(client.restarts, 1)
  assert.deepEqual(outcomes.map((o) => [o.path, o.ok]), paths.map((p, i) => [p, i >= 3]))
  for (const o of outcomes.slice(0, 3)) {
    assert.match((o as { error: string }).error, /ended while inspecting a batch of 3 images with this one \(killed by SIGKILL\)/)
  }
})

test('an invalid model set is a load error marked as the user\'s', async () => {
  const client = new InferenceClient(forkWorker, { modelsDir: dir, provider: 'cpu' })
  await assert.rejects(client.start(), (error: Error) => error instanceof WorkerLoadError && error.isUserError && /cannot read the manifest/.test(error.message))
  client.close()
})
