// The coils API through dispatch (schema-checked, errors as messages) over a real run of the
// fixture models: rule-set import and export, the coil list, a coil map, and decisions that must
// answer the proposal in force.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, test } from 'node:test'
import type { ApiMethods, CoilDecisionView, CoilList, CoilMap, CoilSettingsView, RuleSetVersion } from '../../src-shared/api.ts'
import { createCoilMethods } from '../../src-main/app/coilMethods.ts'
import { dispatch } from '../../src-main/app/dispatch.ts'
import { JobQueue } from '../../src-main/queue/index.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'

let store: Store
let methods: ApiMethods
let sourceId: number

before(async () => {
  const folder = tempDir()
  await writeBlockImages(folder, 4)
  store = openStore(join(tempDir(), 'coils-api.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  sourceId = queue.get(id)!.sourceId!
  methods = createCoilMethods(store, () => 'ana') as unknown as ApiMethods
})

async function call<T>(method: string, input?: unknown): Promise<T> {
  const result = await dispatch(methods, method, input)
  if (!result.ok) throw new Error(result.error)
  return result.value as T
}

const RULES = { name: 'plant', version: 1, edgeBandMm: 10, rules: [{ id: 'c4', kind: 'defectArea', classes: [4], atLeastMm2: 1, outcome: 'downgrade', reason: 'class 4' }] }

test('rule sets: invalid JSON is refused with every problem; a valid one is stored, activated and exported back', async () => {
  assert.equal(await call('exportRuleSet'), null)
  await assert.rejects(call('importRuleSet', { json: '{"name":"x"}' }), /the rule set: not a valid rule set: version: .*edgeBandMm/)
  await assert.rejects(call('importRuleSet', { json: 'x', extra: 1 }), /importRuleSet: invalid input/)
  assert.deepEqual(await call('importRuleSet', { json: JSON.stringify(RULES) }), { name: 'plant', version: 1 })
  const exported = JSON.parse((await call<string>('exportRuleSet'))!)
  assert.deepEqual(exported.rules[0], { ...RULES.rules[0], zone: 'anywhere' })
})

test('listCoils and getCoilMap: one coil, its images at their positions, every defect at its place', async () => {
  const list = await call<CoilList>('listCoils', { sourceId })
  assert.deepEqual(list.ruleSet, { name: 'plant', version: 1 })
  assert.deepEqual(list.problems, [])
  assert.equal(list.coils.length, 1)
  const [coil] = list.coils
  assert.deepEqual([coil.images, coil.lengthMm, coil.proposal?.outcome, coil.proposal?.fired.map((f) => f.ruleId)], [4, 6400, 'downgrade', ['c4']])
  const map = await call<CoilMap>('getCoilMap', { coilId: coil.id })
  assert.deepEqual(map.images.map((i) => [i.relativePath, i.positionMm, i.lengthMm]), [
    ['coil-0000.jpg', 0, 1600], ['coil-0001.jpg', 1600, 1600], ['coil-0002.jpg', 3200, 1600], ['coil-0003.jpg', 4800, 1600],
  ])
  // Image i holds a 64×200 px block of class i + 1 at rows 64·i, columns 0…199 (1 mm per pixel).
  assert.deepEqual(map.defects.map((d) => [d.classId, d.areaMm2, d.box.alongFromMm, d.box.alongToMm, d.box.acrossFromMm, d.box.acrossToMm]), [
    [1, 12800, 0, 200, 0, 64], [2, 12800, 1600, 1800, 64, 128], [3, 12800, 3200, 3400, 128, 192], [4, 12800, 4800, 5000, 192, 256],
  ])
  await assert.rejects(call('getCoilMap', { coilId: 999 }), /no coil 999/)
})

test('decideCoil records a decision only against the proposal in force', async () => {
  const [coil] = (await call<CoilList>('listCoils', { sourceId: null })).coils
  await assert.rejects(call('decideCoil', { coilId: coil.id, proposed: 'accept', disposition: 'accept', note: '' }), /the proposal for coil .* is now downgrade, not accept/)
  await assert.rejects(call('decideCoil', { coilId: coil.id, proposed: 'downgrade', disposition: 'reject', note: '' }), /needs a note/)
  const decision = await call<CoilDecisionView>('decideCoil', { coilId: coil.id, proposed: 'downgrade', disposition: 'downgrade', note: '' })
  assert.deepEqual([decision.action, decision.disposition, decision.author, 'proposal' in decision], ['confirm', 'downgrade', 'ana', false])
  const [after] = (await call<CoilList>('listCoils', { sourceId })).coils
  assert.deepEqual(after.decision, decision)
  assert.equal(store.disposition.decisions(coil.id).length, 1, 'the refused calls recorded nothing')
})

test('coil settings: read with the default in force, changed and regrouped, bad values refused by name, the default restored', async () => {
  const geometry = { alongAxis: 'x', mmPerPixelX: 1, mmPerPixelY: 1 }
  assert.deepEqual(await call<CoilSettingsView>('getCoilSettings', { sourceId }), { sourceId, grouping: { kind: 'single' }, isDefaultGrouping: true, geometry, coils: 1, problems: [] })
  await assert.rejects(call('setCoilSettings', { sourceId, grouping: { kind: 'pattern', pattern: '^(?<coil>coil)-\\d+' }, geometry }),
    /setCoilSettings: invalid input \(grouping\.pattern: the pattern has no named group \(\?<seq>…\)\)/)
  await assert.rejects(call('setCoilSettings', { sourceId, grouping: { kind: 'pattern', pattern: '(?<coil>[' }, geometry }), /grouping\.pattern: not a valid regular expression/)
  await assert.rejects(call('setCoilSettings', { sourceId, grouping: { kind: 'pattern', pattern: '(?<coil>\\w)\\1_(?<seq>\\d+)' }, geometry }),
    /grouping\.pattern: the pattern uses what only a backtracking engine can run/)
  await assert.rejects(call('setCoilSettings', { sourceId, grouping: { kind: 'pattern', pattern: `(?<coil>a)(?<seq>\\d)${'b'.repeat(300)}` }, geometry }),
    /grouping\.pattern: the pattern is 320 characters long; at most 200/)
  await assert.rejects(call('setCoilSettings', { sourceId, grouping: null, geometry: { ...geometry, mmPerPixelX: 0 } }), /geometry\.mmPerPixelX/)
  await assert.rejects(call('setCoilSettings', { sourceId, grouping: { kind: 'csv', csvPath: '../../etc/passwd' }, geometry }), /must be a path inside the source folder/)
  await assert.rejects(call('setCoilSettings', { sourceId, grouping: { kind: 'csv', csvPath: '/etc/passwd' }, geometry }), /must be a path inside the source folder/)
  assert.equal(store.coils.settings(sourceId).grouping, null, 'nothing refused was stored')

  // Two of the four images match; the other two are reported one by one. 2 mm per pixel along.
  const set = await call<CoilSettingsView>('setCoilSettings', {
    sourceId, grouping: { kind: 'pattern', pattern: '^(?<coil>coil)-(?<seq>000[01])\\.jpg$' }, geometry: { alongAxis: 'x', mmPerPixelX: 2, mmPerPixelY: 0.5 },
  })
  assert.deepEqual([set.isDefaultGrouping, set.coils, set.problems.map((p) => p.file)], [false, 1, ['coil-0002.jpg', 'coil-0003.jpg']])
  assert.match(set.problems[0].problem, /does not match the pattern/)
  const coil = (await call<CoilList>('listCoils', { sourceId })).coils.find((c) => c.name === 'coil')!
  assert.deepEqual([coil.name, coil.images, coil.lengthMm, coil.widthMm], ['coil', 2, 2 * 1600 * 2, 256 * 0.5])

  const restored = await call<CoilSettingsView>('setCoilSettings', { sourceId, grouping: null, geometry })
  assert.deepEqual([restored.grouping, restored.isDefaultGrouping, restored.coils, restored.problems], [{ kind: 'single' }, true, 1, []])
  assert.deepEqual((await call<CoilList>('listCoils', { sourceId })).coils.map((c) => c.images), [4], 'the decided coil has its images back; the pattern\'s coil is gone')
})

test('listRuleSets lists every stored version and marks the active one', async () => {
  await call('importRuleSet', { json: JSON.stringify({ ...RULES, version: 2 }) })
  assert.deepEqual((await call<RuleSetVersion[]>('listRuleSets')).map((r) => [r.name, r.version, r.active]), [['plant', 1, false], ['plant', 2, true]])
  await assert.rejects(call('importRuleSet', { json: JSON.stringify({ ...RULES, version: 2, edgeBandMm: 99 }) }), /version 2|already|stored/)
})
