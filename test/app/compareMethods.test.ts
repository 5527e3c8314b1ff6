// The comparison API through dispatch over real runs of the fixture set: a profile-vs-profile
// comparison, one image's masks on both sides, a folder outside the app's model sets refused, and
// decisions appended with who and why.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, test } from 'node:test'
import type { ApiMethods, CompareImageView, CompareView, SourceModelDecisionView } from '../../src-shared/api.ts'
import { createCompareMethods } from '../../src-main/app/compareMethods.ts'
import { dispatch } from '../../src-main/app/dispatch.ts'
import { JobQueue } from '../../src-main/queue/index.ts'
import { saveProfile } from '../../src-main/review/index.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { decodeRle } from '../../src-shared/rle.ts'
import { writeCompareSource, writeWeakenedSet } from '../helpers/compareFixture.ts'
import { FIXTURES, tempDir } from '../helpers/images.ts'

let store: Store
let methods: ApiMethods
let sourceId: number
let queue: JobQueue

before(async () => {
  const folder = tempDir()
  await writeCompareSource(folder)
  store = openStore(join(tempDir(), 'compare-api.db'))
  queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nhwc'), provider: 'cpu', threads: 1 })
  await queue.idle()
  sourceId = queue.get(id)!.sourceId!
  saveProfile(store, { name: 'loose', gate: 0.3, upper: [0.7, 0.7, 0.7, 0.7], lower: [0.3, 0.3, 0.3, 0.3], minAreaModelPx: [180, 260, 200, 500] })
  methods = createCompareMethods({ store, queue, author: () => 'ana', modelSetDirs: async () => [join(FIXTURES, 'nhwc')], provider: () => 'cpu' }) as unknown as ApiMethods
})

async function call<T>(method: string, input?: unknown): Promise<T> {
  const result = await dispatch(methods, method, input)
  if (!result.ok) throw new Error(result.error)
  return result.value as T
}

test('a profile against the run: the ranking and one image with A and B masks', async () => {
  const view = await call<CompareView>('compareRuns', { sourceId, a: '1', b: '1:loose@1' })
  assert.deepEqual(view.ranking.map((r) => r.name), ['coil-0000.png', 'coil-0005.png', 'coil-0006.png'])
  assert.equal(view.b.profile, 'loose v1')
  const image = await call<CompareImageView>('getCompareImage', { sourceId, a: '1', b: '1:loose@1', imageId: view.ranking[0].imageId })
  const [a, b] = [decodeRle(image.classes[0].rleA, image.height, image.width), decodeRle(image.classes[0].rleB, image.height, image.width)]
  assert.deepEqual([a.reduce((s, v) => s + v, 0), b.reduce((s, v) => s + v, 0)], [12800, 19200])
  assert.equal(store.runs.list().length, 1, 'no model ran')
})

test('a folder that is not one of the app\'s model sets is refused before anything is read', async () => {
  const elsewhere = writeWeakenedSet(join(tempDir(), 'elsewhere'))
  await assert.rejects(call('compareRuns', { sourceId, a: '1', b: elsewhere }), /is not one of the app's model sets/)
  await assert.rejects(call('compareRuns', { sourceId, a: '1', b: '/etc' }), /is not one of the app's model sets/)
  assert.equal(store.runs.list().length, 1)
})

test('decisions need a reason and append with who and when', async () => {
  await assert.rejects(call('decideSourceModelSet', { sourceId, a: '1', b: '1:loose', note: '  ' }), /say why/)
  await call('decideSourceModelSet', { sourceId, a: '1', b: '1:loose', note: 'the halo is real scale' })
  await call('decideSourceModelSet', { sourceId, a: '1:loose', b: '1', note: 'back: it was not' })
  const history = await call<SourceModelDecisionView[]>('listSourceModelDecisions', { sourceId })
  assert.deepEqual(history.map((d) => [d.note, d.author, d.modelSet.manifestId]), [['the halo is real scale', 'ana', 'fixture-nhwc'], ['back: it was not', 'ana', 'fixture-nhwc']])
  queue.close()
})
