// Threshold profiles as versioned records: a save appends a version, an equal save does not, the
// run's choice is a log whose latest row is in force, and content is schema-checked when read back.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openStore } from '../../../src-main/store/index.ts'
import { applyProfile, listProfiles, profileForRun, resolveProfileRef, saveProfile } from '../../../src-main/review/index.ts'
import { memoryStore, tempDbPath } from './fixtures.ts'

const base = { name: 'night', gate: 0.5, upper: [0.7], lower: [0.4], minAreaModelPx: [10] }

function storeWithRun() {
  const store = memoryStore()
  const source = store.sources.ensure('/line')
  const set = store.modelSets.ensure({ manifestId: 'm', version: '1', manifestSha256: 'a'.repeat(64), members: [], classes: [{ id: 1, name: 'pits', color: '#fff' }] })
  const run = store.runs.create({ sourceId: source.id, modelSetId: set.id, postprocess: { upper: [0.6], lower: [0.3], minArea: [5] }, gateThreshold: 0.2, tta: ['none'], providerRequested: 'cpu', appVersion: '0' })
  return { store, run }
}

test('saving appends a version; the same content again keeps the latest; a run keeps the version applied to it', () => {
  const { store, run } = storeWithRun()
  assert.equal(saveProfile(store, base, 'ana').version, 1)
  assert.equal(saveProfile(store, base, 'ana').version, 1)
  applyProfile(store, run.id, 'night', 'ana')
  assert.equal(saveProfile(store, { ...base, upper: [0.9] }, 'bo').version, 2)
  assert.deepEqual(listProfiles(store).map((p) => [p.name, p.version, p.upper[0]]), [['night', 2, 0.9]])
  assert.deepEqual(profileForRun(store, run.id), { ...base, version: 1 }, 'the run still uses the version applied to it')
  assert.deepEqual(resolveProfileRef(store, run, 'night@1').upper, [0.7])
  assert.deepEqual(resolveProfileRef(store, run, 'night').upper, [0.9])
  assert.equal(resolveProfileRef(store, run, 'run defaults').gate, 0.2)
  assert.throws(() => resolveProfileRef(store, run, 'night@3'), /no threshold profile named "night@3"; profiles: "run defaults", "night@1", "night@2"/)
  applyProfile(store, run.id, null, 'ana')
  assert.equal(profileForRun(store, run.id).name, 'run defaults')
  assert.equal(store.profiles.forRun(run.id)?.profile, null)
  assert.equal(store.runs.get(run.id)!.kind, 'gated')
})

test('a stored profile whose content is not a valid profile fails naming it', () => {
  const path = tempDbPath()
  const store = openStore(path)
  saveProfile(store, base)
  store.close()
  const raw = new Database(path)
  raw.prepare("INSERT INTO threshold_profiles (name, version, content_json, author, created_at_ms) VALUES ('night', 2, ?, 'x', 1)").run(JSON.stringify({ ...base, name: undefined, gate: 2 }))
  raw.close()
  const again = openStore(path)
  assert.throws(() => listProfiles(again), /threshold profile "night" v2 \(id 2\) is not a valid profile: gate: /)
  again.close()
})
