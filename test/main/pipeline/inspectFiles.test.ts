// inspectFiles over real files: order, failures in the middle of a batch, batch sizes, and the
// gate forced by file name.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { loadModelSet, type LoadedModelSet } from '../../../src-main/inference/index.ts'
import { inspectFiles, Inspector, type FileOutcome } from '../../../src-main/pipeline/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const dir = tempDir()
let paths: string[] = []
let set: LoadedModelSet

before(async () => {
  const names = await writeBlockImages(dir, 5)
  writeFileSync(join(dir, 'broken.jpg'), 'not a jpeg')
  paths = [...names.slice(0, 2), 'broken.jpg', 'missing.jpg', ...names.slice(2)].map((n) => join(dir, n))
  set = await loadModelSet(join(FIXTURES, 'nchw'), { provider: 'cpu', threads: 1 })
})
after(() => set.release())

async function collect(inspector: Inspector): Promise<{ outcomes: FileOutcome[]; started: string[] }> {
  const outcomes: FileOutcome[] = []
  const started: string[] = []
  for await (const outcome of inspectFiles(inspector, paths, (p) => started.push(p))) outcomes.push(outcome)
  return { outcomes, started }
}

test('the CPU takes one image per batch; every batch size gives the same outcomes in order', async () => {
  assert.equal(new Inspector(set).batchSize, 1)
  const one = await collect(new Inspector(set))
  assert.deepEqual(one.outcomes.map((o) => o.path), paths)
  assert.deepEqual(one.outcomes.map((o) => o.ok), [true, true, false, false, true, true, true])
  assert.deepEqual(one.started, paths.filter((p) => !/broken|missing/.test(p)))
  const strip = (outcomes: FileOutcome[]) => outcomes.map((o) => (o.ok ? { path: o.path, inspection: o.inspection } : o))
  for (const batchSize of [3, 16]) {
    const batched = await collect(new Inspector(set, { batchSize }))
    assert.deepEqual(strip(batched.outcomes), strip(one.outcomes))
  }
})

test('the gate can be forced per file name; the classifiers still report their probability', async () => {
  const [first, second] = paths.map((p) => p.split('/').pop()!)
  const natural = await collect(new Inspector(set))
  const forced = await collect(new Inspector(set, { gateOverride: { [first]: false, [second]: true } }))
  const ok = (o: FileOutcome) => o as Extract<FileOutcome, { ok: true }>
  assert.equal(ok(natural.outcomes[0]).inspection.isGatedIn, true)
  assert.equal(ok(forced.outcomes[0]).inspection.isGatedIn, false)
  assert.equal(ok(forced.outcomes[0]).inspection.probMapsU8, null)
  assert.equal(ok(forced.outcomes[0]).inspection.gateProbability, ok(natural.outcomes[0]).inspection.gateProbability)
  assert.equal(ok(forced.outcomes[1]).inspection.isGatedIn, true)
  assert.deepEqual(ok(forced.outcomes[4]).inspection, ok(natural.outcomes[4]).inspection) // not named: untouched
})
