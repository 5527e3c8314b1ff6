// The coil listing redoes only what changed, over a real run of the `nchw` fixture models in a real
// SQLite file: six images in three coils (a CSV mapping). Each step changes one thing and checks,
// by the cache's own counts and by which lines are the very same objects as before, that only the
// coils it touches were evaluated again — and that every listing equals a fresh computation.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import type { CoilList } from '../../../src-shared/api.ts'
import { runDefaultProfile } from '../../../src-shared/thresholdProfile.ts'
import { createCoilMethods } from '../../../src-main/app/coilMethods.ts'
import { CoilCache } from '../../../src-main/coils/coilCache.ts'
import { saveCoilSettings } from '../../../src-main/coils/coilSettings.ts'
import { summariseCoils } from '../../../src-main/coils/coilSummary.ts'
import { activeRuleSet } from '../../../src-main/coils/ruleSets.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { applyProfile, saveProfile } from '../../../src-main/review/profiles.ts'
import { openStore, type SourceRecord, type Store } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

let store: Store
let dbPath: string
let source: SourceRecord
let runId: number
let folder: string
let cache: CoilCache
let methods: ReturnType<typeof createCoilMethods>
let previous: CoilList

const RULES = { name: 'plant', version: 1, edgeBandMm: 10, rules: [{ id: 'c3', kind: 'defectArea', classes: [3], atLeastMm2: 1, outcome: 'reject', reason: 'class 3' }] }
const mapping = (rows: string[]) => writeFileSync(join(folder, 'coils.csv'), `file,coil,seq\n${rows.join('\n')}\n`)
const THREE_COILS = ['coil-0000.jpg,A,1', 'coil-0001.jpg,A,2', 'coil-0002.jpg,B,1', 'coil-0003.jpg,B,2', 'coil-0004.jpg,C,1', 'coil-0005.jpg,C,2']

before(async () => {
  folder = tempDir()
  await writeBlockImages(folder, 6)
  dbPath = join(tempDir(), 'coil-cache.db')
  store = openStore(dbPath)
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  runId = queue.get(id)!.runId!
  source = store.sources.get(queue.get(id)!.sourceId!)!
  mapping(THREE_COILS)
  saveCoilSettings(store, source.id, { grouping: { kind: 'csv', csvPath: 'coils.csv' } })
  cache = new CoilCache(store)
  methods = createCoilMethods(store, () => 'ana', cache)
  await methods.importRuleSet({ json: JSON.stringify(RULES) })
})

/**
 * Lists the coils and says what that took: whether the source was regrouped, and which coils
 * were evaluated again (by name: a line not the same object as in the previous listing).
 */
async function list(): Promise<{ regrouped: number; evaluated: string[]; list: CoilList }> {
  const counted = { ...cache.work }
  const result = await methods.listCoils({ sourceId: source.id })
  assert.deepEqual(result.coils, summariseCoils(store, [source], activeRuleSet(store)), 'the listing equals a fresh computation')
  const evaluated = result.coils.filter((line) => !previous?.coils.includes(line)).map((line) => line.name)
  assert.equal(cache.work.statusesComputed - counted.statusesComputed, evaluated.length, 'every evaluation shows as a new line')
  previous = result
  return { regrouped: cache.work.regroupings - counted.regroupings, evaluated, list: result }
}

const coilNamed = (name: string) => store.coils.list(source.id).find((c) => c.name === name)!
const imageOf = (relativePath: string) => store.images.findByPath(source.id, relativePath)!
const tick = () => new Promise((r) => setTimeout(r, 2)) // a later write is stamped strictly later

test('a second listing with nothing changed neither regroups nor evaluates any coil', async () => {
  const first = await list()
  assert.deepEqual([first.regrouped, first.evaluated], [1, ['A', 'B', 'C']])
  assert.deepEqual(first.list.problems, [])
  const stamps = store.coils.list(source.id).map((c) => c.updatedAtMs)
  await tick()
  const second = await list()
  assert.deepEqual([second.regrouped, second.evaluated], [0, []])
  assert.deepEqual(store.coils.list(source.id).map((c) => c.updatedAtMs), stamps, 'no coil was rewritten')
})

test('regrouping to the same coils rewrites none; moving one image rewrites only the two coils it moves between', async () => {
  const stamps = () => Object.fromEntries(store.coils.list(source.id).map((c) => [c.name, c.updatedAtMs]))
  const before = stamps()
  await tick()
  mapping([...THREE_COILS]) // the same rows: the file's time changes, the coils do not
  const same = await list()
  assert.deepEqual([same.regrouped, same.evaluated], [1, []])
  assert.deepEqual(stamps(), before)

  await tick()
  mapping([...THREE_COILS.slice(0, 4), 'coil-0004.jpg,B,3', 'coil-0005.jpg,C,1'])
  const moved = await list()
  assert.deepEqual([moved.regrouped, moved.evaluated], [1, ['B', 'C']])
  const after = stamps()
  assert.equal(after.A, before.A, 'coil A is untouched')
  assert.ok(after.B > before.B && after.C > before.C)
  assert.deepEqual(store.coils.images(coilNamed('B').id).map((m) => m.imageId), ['coil-0002.jpg', 'coil-0003.jpg', 'coil-0004.jpg'].map((p) => imageOf(p).id))
})

test('a mask edit on one image evaluates only its coil, without regrouping', async () => {
  const image = imageOf('coil-0002.jpg') // class 3, coil B
  const before = store.masks.fromRun(runId, image.id).find((m) => m.classId === 3)!.rle
  store.edits.record({ imageId: image.id, classId: 3, beforeRle: before, afterRle: '', tool: 'eraser', author: 'ana', runId })
  const edited = await list()
  assert.deepEqual([edited.regrouped, edited.evaluated], [0, ['B']])
  assert.equal(edited.list.coils.find((c) => c.name === 'B')!.defectsPerClass[3], undefined, 'the erased defect is gone')
})

test('a new decision evaluates only its coil; a new rule set or a profile applied to the run evaluates every coil of it', async () => {
  const c = previous.coils.find((line) => line.name === 'C')!
  await methods.decideCoil({ coilId: c.id, proposed: c.proposal!.outcome, disposition: c.proposal!.outcome, note: '' })
  const decided = await list()
  assert.deepEqual([decided.regrouped, decided.evaluated], [0, ['C']])
  assert.equal(decided.list.coils.find((line) => line.name === 'C')!.decision!.author, 'ana')

  await methods.importRuleSet({ json: JSON.stringify({ ...RULES, version: 2, rules: [] }) })
  const rules = await list()
  assert.deepEqual([rules.regrouped, rules.evaluated, rules.list.ruleSet], [0, ['A', 'B', 'C'], { name: 'plant', version: 2 }])

  await tick()
  saveProfile(store, { ...runDefaultProfile(store.runs.get(runId)!), name: 'night shift' })
  applyProfile(store, runId, 'night shift')
  const profiled = await list()
  assert.deepEqual([profiled.regrouped, profiled.evaluated], [0, ['A', 'B', 'C']])
  assert.deepEqual(profiled.list.coils.find((line) => line.name === 'C')!.decisionStaleBecause, ['threshold profile changed since'])
})

test('a changed geometry regroups and evaluates every coil', async () => {
  saveCoilSettings(store, source.id, { geometry: { alongAxis: 'x', mmPerPixelX: 0.5, mmPerPixelY: 0.5 } })
  const changed = await list()
  assert.deepEqual([changed.regrouped, changed.evaluated], [1, ['A', 'B', 'C']])
  assert.deepEqual(changed.list.coils.map((c) => c.lengthMm), [1600, 2400, 800])
})

test('a new image is reported while pending and, once sized, joins its coil: only that coil is evaluated', async () => {
  mapping([...THREE_COILS.slice(0, 4), 'coil-0004.jpg,B,3', 'coil-0005.jpg,C,1', 'coil-0006.jpg,C,2'])
  const { image } = store.images.upsert({ sourceId: source.id, relativePath: 'coil-0006.jpg', byteSize: 1, mtimeMs: 1, sha256: 'a'.repeat(64) })
  const pending = await list()
  assert.deepEqual([pending.regrouped, pending.evaluated], [1, []])
  assert.deepEqual(pending.list.problems.map((p) => [p.file, p.problem]), [['coil-0006.jpg', 'not placed on a coil: the image is pending']])

  store.images.markDone(image.id, { width: 1600, height: 256 })
  const sized = await list()
  assert.deepEqual([sized.regrouped, sized.evaluated, sized.list.problems], [1, ['C'], []])
  const c = sized.list.coils.find((line) => line.name === 'C')!
  assert.deepEqual([c.images, c.imagesWithoutResult], [2, 1])
})

test('writes by a second connection to the same library are seen: an edit evaluates its coil, a new image regroups', async () => {
  const other = openStore(dbPath)
  try {
    const image = imageOf('coil-0000.jpg') // class 1, coil A
    const before = other.masks.fromRun(runId, image.id).find((m) => m.classId === 1)!.rle
    other.edits.record({ imageId: image.id, classId: 1, beforeRle: before, afterRle: '', tool: 'eraser', author: 'ben', runId })
    const edited = await list()
    assert.deepEqual([edited.regrouped, edited.evaluated], [0, ['A']])

    other.images.upsert({ sourceId: source.id, relativePath: 'coil-0007.jpg', byteSize: 1, mtimeMs: 1, sha256: 'b'.repeat(64) })
    const added = await list()
    assert.deepEqual([added.regrouped, added.evaluated], [1, []])
    assert.deepEqual(added.list.problems.map((p) => p.file), ['coil-0007.jpg'])
  } finally {
    other.close()
  }
})

test('a new host on the same library evaluates no coil: it lists the stored lines; an edit evaluates only its coil', async () => {
  const before = await list()
  const host = async () => {
    const store2 = openStore(dbPath)
    const cache2 = new CoilCache(store2)
    return { store2, cache2, methods2: createCoilMethods(store2, () => 'ben', cache2) }
  }
  const second = await host()
  try {
    const listed = await second.methods2.listCoils({ sourceId: source.id })
    assert.equal(second.cache2.work.statusesComputed, 0, 'no coil evaluated')
    assert.deepEqual(listed, before.list)

    const image = imageOf('coil-0004.jpg') // class 1 (4 mod 4 + 1), coil B since the move
    const rle = second.store2.masks.fromRun(runId, image.id).find((m) => m.classId === 1)!.rle
    second.store2.edits.record({ imageId: image.id, classId: 1, beforeRle: rle, afterRle: '', tool: 'eraser', author: 'ben', runId })
    const edited = await second.methods2.listCoils({ sourceId: source.id })
    assert.equal(second.cache2.work.statusesComputed, 1, 'only the edited coil')
    assert.deepEqual(edited.coils, summariseCoils(second.store2, [source], activeRuleSet(second.store2)))
    assert.deepEqual(edited.coils.filter((line, k) => line !== listed.coils[k]).map((line) => line.name), ['B'])
  } finally {
    second.store2.close()
  }
  const third = await host()
  try {
    await third.methods2.listCoils({ sourceId: source.id })
    assert.equal(third.cache2.work.statusesComputed, 0, 'the edited coil\'s line was stored too')
  } finally {
    third.store2.close()
  }
})

test('evaluating many coils lets other calls of the host run meanwhile; two listings at once evaluate each coil once', async () => {
  const host = openStore(dbPath)
  try {
    const sliced = new CoilCache(host, { sliceMs: 0 }) // a slice per coil
    const hostMethods = createCoilMethods(host, () => 'ben', sliced)
    await hostMethods.listCoils({ sourceId: source.id })
    await hostMethods.importRuleSet({ json: JSON.stringify({ ...RULES, version: 3 }) }) // every coil to evaluate again
    const coils = host.coils.list(source.id).length
    const start = sliced.work.statusesComputed

    // Other work of the host, queued as each turn of the event loop comes: what it sees of the listing.
    let settled = false
    const seen: number[] = []
    const watch = () => {
      if (settled) return
      seen.push(sliced.work.statusesComputed - start)
      setImmediate(watch)
    }
    setImmediate(watch)
    const [first, second] = await Promise.all([hostMethods.listCoils({ sourceId: source.id }), hostMethods.listCoils({ sourceId: source.id })])
    settled = true

    assert.ok(coils >= 3)
    assert.ok(seen.some((done) => done > 0 && done < coils), `other work ran between the coils' evaluations (seen after ${seen.join(', ')} coils)`)
    assert.equal(sliced.work.statusesComputed - start, coils, 'each coil evaluated once for both listings')
    assert.deepEqual(second, first)
    assert.deepEqual(first.coils, summariseCoils(host, [source], activeRuleSet(host)))
  } finally {
    host.close()
  }
})
