// Coils from a real run (the `nchw` fixture models over block images in a real SQLite file):
// grouping by each form as settings, positions from the geometry, defects from the reviewed masks,
// proposals, and a decision that a later mask edit, threshold profile or run marks out of date
// without changing it.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { before, test } from 'node:test'
import { ruleSetSchema } from '../../../src-shared/dispositionRules.ts'
import { runDefaultProfile } from '../../../src-shared/thresholdProfile.ts'
import { applyProfile, saveProfile } from '../../../src-main/review/profiles.ts'
import { assignCoils } from '../../../src-main/coils/assignCoils.ts'
import { coilStatus } from '../../../src-main/coils/coilDisposition.ts'
import { saveCoilSettings } from '../../../src-main/coils/coilSettings.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { openStore, type SourceRecord, type Store } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

let store: Store
let source: SourceRecord
let runId: number
let folder: string

before(async () => {
  folder = tempDir()
  await writeBlockImages(folder, 4) // image i: a 64×200 block at rows 64·i…, columns 0…199, class i + 1
  store = openStore(join(tempDir(), 'coils.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  runId = job.runId!
  source = store.sources.get(job.sourceId!)!
})

const names = (coilId: number) => store.coils.images(coilId).map((m) => store.images.get(m.imageId)!.relativePath)

test('by default a flat folder is one coil named after it, in name order, 1 mm per pixel', async () => {
  const { coils, problems } = await assignCoils(store, source)
  assert.deepEqual(problems, [])
  assert.equal(coils.length, 1)
  assert.equal(coils[0].name, basename(folder))
  assert.deepEqual([coils[0].lengthMm, coils[0].widthMm, coils[0].imageCount], [6400, 256, 4])
  assert.deepEqual(names(coils[0].id), ['coil-0000.jpg', 'coil-0001.jpg', 'coil-0002.jpg', 'coil-0003.jpg'])
  assert.deepEqual(store.coils.images(coils[0].id).map((m) => m.positionMm), [0, 1600, 3200, 4800])
})

test('a pattern setting with a geometry regroups the source; a bad pattern is refused before it is stored', async () => {
  assert.throws(() => saveCoilSettings(store, source.id, { grouping: { kind: 'pattern', pattern: '(?<coil>x' } }), /not a valid regular expression/)
  saveCoilSettings(store, source.id, {
    grouping: { kind: 'pattern', pattern: '^(?<coil>[a-z]+)-(?<seq>\\d+)\\.jpg$' },
    geometry: { alongAxis: 'x', mmPerPixelX: 0.5, mmPerPixelY: 0.5 },
  })
  const { coils, problems } = await assignCoils(store, source)
  assert.deepEqual(problems, [])
  assert.deepEqual(coils.map((c) => [c.name, c.lengthMm, c.widthMm, c.imageCount]), [['coil', 3200, 128, 4]])
  assert.deepEqual(store.coils.images(coils[0].id).map((m) => m.positionMm), [0, 800, 1600, 2400])
})

test('a CSV setting: rows naming missing files and unlisted images are reported per file; the coils still form', async () => {
  writeFileSync(join(folder, 'coils.csv'), 'file,coil,seq\ncoil-0001.jpg,A,1\ncoil-0000.jpg,A,2\nmissing.jpg,A,3\ncoil-0002.jpg,B,1\n')
  saveCoilSettings(store, source.id, { grouping: { kind: 'csv', csvPath: 'coils.csv' } })
  const { coils, problems } = await assignCoils(store, source)
  assert.deepEqual(coils.map((c) => [c.name, c.imageCount, c.lengthMm]), [['A', 2, 1600], ['B', 1, 800]])
  assert.deepEqual(names(coils[0].id), ['coil-0001.jpg', 'coil-0000.jpg'])
  assert.deepEqual(problems, [
    { file: 'missing.jpg', problem: 'line 4 of the coil CSV names a file that is not an image of this source' },
    { file: 'coil-0003.jpg', problem: 'not listed in the coil CSV' },
  ])
  saveCoilSettings(store, source.id, { grouping: { kind: 'csv', csvPath: 'absent.csv' } })
  const unreadable = await assignCoils(store, source)
  assert.match(unreadable.problems[0].problem, /the coil CSV cannot be read: ENOENT/)
  assert.equal(unreadable.problems[0].file, join(folder, 'absent.csv'))
})

test('proposal from the model masks; a decision; an edit afterwards marks it out of date and changes the proposal, not the decision', async () => {
  saveCoilSettings(store, source.id, { grouping: { kind: 'single' }, geometry: { alongAxis: 'x', mmPerPixelX: 0.5, mmPerPixelY: 0.5 } })
  const [coil] = (await assignCoils(store, source)).coils
  const rules = ruleSetSchema.parse({
    name: 'plant', version: 1, edgeBandMm: 10,
    rules: [{ id: 'class 3 large', kind: 'defectArea', classes: [3], atLeastMm2: 2000, outcome: 'reject', reason: 'a large class-3 defect' }],
  })
  const first = coilStatus(store, coil.id, rules)
  assert.equal(first.runId, runId)
  // One block per image: 64×200 px at 0.5 mm/px is 3,200 mm², its head at the image's head.
  assert.deepEqual(first.defects.map((d) => [d.classId, d.areaMm2, d.box.alongFromMm, d.box.acrossFromMm]), [
    [1, 3200, 0, 0], [2, 3200, 800, 32], [3, 3200, 1600, 64], [4, 3200, 2400, 96],
  ])
  assert.equal(first.proposal!.outcome, 'reject')
  assert.deepEqual(first.proposal!.fired[0].where, [{ imageId: first.defects[2].imageId, alongFromMm: 1600, alongToMm: 1700, acrossFromMm: 64, acrossToMm: 96 }])
  const ruleSet = store.disposition.saveRuleSet(rules.name, rules.version, rules as never)
  assert.equal(store.disposition.saveRuleSet(rules.name, rules.version, rules as never).id, ruleSet.id, 'same content, same stored set')
  assert.throws(() => store.disposition.saveRuleSet('plant', 1, { ...rules, edgeBandMm: 11 } as never), /already stored with other rules/)
  assert.throws(() => store.disposition.decide({ coilId: coil.id, runId, ruleSetId: ruleSet.id, proposal: first.proposal as never, proposed: 'reject', disposition: 'downgrade', author: 'ana' }), /needs a note/)
  const decision = store.disposition.decide({
    coilId: coil.id, runId, ruleSetId: ruleSet.id, proposal: first.proposal as never, proposed: 'reject', disposition: 'reject', author: 'ana',
  })
  assert.equal(decision.action, 'confirm')
  assert.equal(coilStatus(store, coil.id, rules).decisionOutOfDate, false)

  await new Promise((r) => setTimeout(r, 2)) // the edit is stamped strictly after the decision
  const imageId = first.defects[2].imageId
  const before = store.masks.fromRun(runId, imageId)[2].rle
  store.edits.record({ imageId, classId: 3, beforeRle: before, afterRle: '', tool: 'eraser', author: 'ana', runId })
  const after = coilStatus(store, coil.id, rules)
  assert.equal(after.decisionOutOfDate, true)
  assert.deepEqual(after.decision, decision, 'the decision itself is unchanged')
  assert.equal(after.proposal!.outcome, 'accept')
  assert.deepEqual(after.defects.map((d) => d.classId), [1, 2, 4])
})

test('a decision goes out of date when a threshold profile is applied to its run or a newer run covers the coil; it is never rewritten', async () => {
  const [coil] = (await assignCoils(store, source)).coils
  const rules = ruleSetSchema.parse({ name: 'plant', version: 2, edgeBandMm: 10, rules: [] })
  const ruleSetId = store.disposition.saveRuleSet(rules.name, rules.version, rules as never).id
  const tick = () => new Promise((r) => setTimeout(r, 2)) // later stamps are strictly later
  const decideNow = async () => {
    await tick()
    const status = coilStatus(store, coil.id, rules)
    return store.disposition.decide({ coilId: coil.id, runId: status.runId!, ruleSetId, proposal: status.proposal as never, proposed: 'accept', disposition: 'accept', author: 'ana' })
  }
  const staleness = () => {
    const s = coilStatus(store, coil.id, rules)
    return [s.decisionOutOfDate, s.decisionStaleBecause]
  }
  await decideNow()
  assert.deepEqual(staleness(), [false, []], 'a decision after the last edit answers the masks as they are')

  await tick()
  const run = store.runs.get(runId)!
  saveProfile(store, { ...runDefaultProfile(run), name: 'night shift' })
  applyProfile(store, runId, 'night shift')
  assert.deepEqual(staleness(), [true, ['threshold profile changed since']])
  const decision = await decideNow()
  assert.deepEqual(staleness(), [false, []])

  // The same images through another model set: a newer run, from which the coil's defects now come.
  const queue = new JobQueue(store)
  queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nhwc'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  const after = coilStatus(store, coil.id, rules)
  assert.ok(after.runId! > runId)
  assert.deepEqual([after.decisionOutOfDate, after.decisionStaleBecause], [true, ['a newer run since']])
  assert.deepEqual(after.decision, decision, 'the decision itself is unchanged')
})
