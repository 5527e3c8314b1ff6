// Paging the Library on a real SQLite file: under every sort, direction and filter, pages chained
// by their last row (keyset) and pages jumped to by offset both give exactly the reference order —
// no row skipped or repeated, ties broken by image id (or path), images without a value last.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import type { ImageSortKey } from '../../../src-shared/apiTypes.ts'
import { openStore, type ImageTableQuery, type ImageTableRow, type Store } from '../../../src-main/store/index.ts'
import { createImageTableRepo } from '../../../src-main/store/repos/imageTableRepo.ts'
import { seed, tempDbPath } from './fixtures.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')
const RANK: Record<string, number> = { failed: 0, pending: 1, done: 2, skipped: 3 }

interface Truth {
  id: number
  path: string
  status: string
  error: boolean
  gate: number | null
  area: number | null
  classes: number[]
  review: string
  edited: boolean
}

/** 240 images with many ties: gate in steps of 0.1, most areas 0, some pending, failed or without a gate. */
function populate(store: Store): { sourceId: number; runId: number; truth: Truth[] } {
  const { source, run, image: first } = seed(store)
  const truth: Truth[] = [{ id: first.id, path: 'a.jpg', status: 'pending', error: false, gate: null, area: null, classes: [], review: 'unreviewed', edited: false }]
  for (let k = 0; k < 240; k++) {
    const path = `strip-${String((k * 37) % 240).padStart(3, '0')}.jpg`
    const { image } = store.images.upsert({ sourceId: source.id, relativePath: path, byteSize: 10, mtimeMs: 1, sha256: sha(k + 1) })
    if (k % 11 === 0) {
      truth.push({ id: image.id, path, status: 'pending', error: false, gate: null, area: null, classes: [], review: 'unreviewed', edited: false })
      continue
    }
    if (k % 13 === 0) {
      store.images.markFailed(image.id, 'truncated JPEG')
      truth.push({ id: image.id, path, status: 'failed', error: true, gate: null, area: null, classes: [], review: 'unreviewed', edited: false })
      continue
    }
    const gate = k % 17 === 0 ? null : Math.round(((k * 7) % 11) / 10 * 10) / 10
    const areas = [1, 2, 3, 4].map((c) => ((k + c) % 6 === 0 ? 100 * ((k % 3) + 1) : 0))
    store.predictions.save({
      runId: run.id,
      imageId: image.id,
      imageSha256: sha(k + 1),
      gateProbability: gate === null ? null : Math.min(gate, 1),
      gatePassed: true,
      classStats: areas.map((a, c) => ({ classId: c + 1, areaImagePx: a, maxProbability: 0.5, disagreement: null })),
      probMaps: null,
      masks: [],
    })
    store.images.markDone(image.id, { width: 1600, height: 256 })
    truth.push({
      id: image.id, path, status: 'done', error: false, gate: gate === null ? null : Math.min(gate, 1),
      area: areas.reduce((s, a) => s + a, 0), classes: areas.flatMap((a, c) => (a > 0 ? [c + 1] : [])),
      ...reviewState(store, image.id, k, run.id),
    })
  }
  return { sourceId: source.id, runId: run.id, truth }
}

/** Reviews (the latest counts) and edits, some handed back to the model, on a share of the images. */
function reviewState(store: Store, imageId: number, k: number, runId: number): Pick<Truth, 'review' | 'edited'> {
  const statuses = ['accepted', 'flagged', 'rejected', 'accepted'] as const
  let review = 'unreviewed'
  if (k % 5 === 0) store.reviews.record({ imageId, status: 'flagged', author: 'ana' })
  if (k % 3 === 0 || k % 5 === 0) store.reviews.record({ imageId, status: (review = statuses[k % 4]), author: 'bo' })
  const edit = (origin: 'human' | 'model') =>
    store.edits.record({ imageId, classId: 2, beforeRle: '', afterRle: '1 5', tool: 'brush', author: 'ana', runId, origin })
  if (k % 4 === 1) edit('human')
  if (k % 8 === 1) edit('model') // Revert to model: no longer edited
  return { review, edited: k % 4 === 1 && k % 8 !== 1 }
}

type Filter = Pick<ImageTableQuery, 'statuses' | 'classIds' | 'gateMin' | 'gateMax' | 'hasError' | 'review'>

function reference(truth: readonly Truth[], key: ImageSortKey, isDescending: boolean, filter: Filter): number[] {
  const rows = truth.filter(
    (t) =>
      (!filter.statuses?.length || filter.statuses.includes(t.status as never)) &&
      (!filter.classIds?.length || filter.classIds.some((c) => t.classes.includes(c))) &&
      (filter.gateMin == null || (t.gate !== null && t.gate >= filter.gateMin)) &&
      (filter.gateMax == null || (t.gate !== null && t.gate <= filter.gateMax)) &&
      (filter.hasError == null || t.error === filter.hasError) &&
      (filter.review == null || (filter.review === 'edited' ? t.edited : t.review === filter.review)),
  )
  const sign = isDescending ? -1 : 1
  const byPath = (a: Truth, b: Truth) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  if (key === 'name') return rows.sort((a, b) => sign * byPath(a, b)).map((t) => t.id)
  if (key === 'status') return rows.sort((a, b) => sign * (RANK[a.status] - RANK[b.status] || byPath(a, b))).map((t) => t.id)
  const value = (t: Truth) => (key === 'gateProbability' ? t.gate : t.area)
  const withValue = rows.filter((t) => value(t) !== null).sort((a, b) => sign * (value(a)! - value(b)! || a.id - b.id))
  const without = rows.filter((t) => value(t) === null).sort(byPath)
  return [...withValue, ...without].map((t) => t.id)
}

const FILTERS: [string, Filter][] = [
  ['no filter', {}],
  ['status done or failed', { statuses: ['done', 'failed'] }],
  ['class 2 or 4', { classIds: [2, 4] }],
  ['gate in [0.3, 0.7]', { gateMin: 0.3, gateMax: 0.7 }],
  ['errors only', { hasError: true }],
  ['no errors, status pending or done, class 1', { hasError: false, statuses: ['pending', 'done'], classIds: [1] }],
  ['flagged', { review: 'flagged' }],
  ['unreviewed', { review: 'unreviewed' }],
  ['edited', { review: 'edited' }],
  ['accepted, status done, class 2 or 3', { review: 'accepted', statuses: ['done'], classIds: [2, 3] }],
  ['unreviewed, no errors', { review: 'unreviewed', hasError: false }],
]
const SORTS: ImageSortKey[] = ['name', 'status', 'gateProbability', 'defectArea']
const LIMIT = 7

test('keyset and offset pages match the reference order under every sort, direction and filter', () => {
  const path = tempDbPath()
  const store = openStore(path)
  const { sourceId, runId, truth } = populate(store)
  // The store's repo sorts the few images of a review state; this one walks the order's index for them.
  const reader = new Database(path)
  const walking = createImageTableRepo(reader, { reviewStateSortLimit: 0 })
  for (const [plan, table] of [['sorted state', store.imageTable], ['walked order', walking]] as const)
  for (const key of SORTS) {
    for (const isDescending of [false, true]) {
      for (const [name, filter] of FILTERS) {
        const label = `${key} ${isDescending ? 'desc' : 'asc'}, ${name} (${plan})`
        const expected = reference(truth, key, isDescending, filter)
        assert.ok(expected.length > 0, `${label}: the data exercises this case`)
        const base: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key, isDescending }, ...filter }
        const ids = (rows: readonly ImageTableRow[]) => rows.map((r) => r.image.id)
        const chained: number[] = []
        let after: number | null = null
        for (let offset = 0; offset < expected.length + LIMIT; offset += LIMIT) {
          const page = table.page({ ...base, offset, afterImageId: after })
          assert.equal(page.total, expected.length, `${label}: total`)
          chained.push(...ids(page.rows))
          after = chained.at(-1) ?? null
        }
        assert.deepEqual(chained, expected, `${label}: keyset pages`)
        const jumped: number[] = []
        for (let offset = 0; offset < expected.length + LIMIT; offset += LIMIT) jumped.push(...ids(table.page({ ...base, offset }).rows))
        assert.deepEqual(jumped, expected, `${label}: offset pages`)
      }
    }
  }
  reader.close()
  store.close()
})

test('jumps through a seek table land on the reference rows, and a write by either connection is seen at the next jump', () => {
  const path = tempDbPath()
  const store = openStore(path)
  const { sourceId, runId, truth } = populate(store)
  // A second connection with a short stride, so that 240 rows make many remembered positions.
  const reader = new Database(path)
  const table = createImageTableRepo(reader, { seekStride: 5, seekStaleFactor: 0 })
  const ids = (rows: readonly ImageTableRow[]) => rows.map((r) => r.image.id)
  const jumpedPages = (query: ImageTableQuery, length: number) => {
    const jumped: number[] = []
    // Out of order, so that each jump is not the page after the one before.
    const offsets = Array.from({ length: Math.ceil(length / LIMIT) }, (_, k) => k * LIMIT).reverse()
    for (const offset of offsets) jumped.unshift(...ids(table.page({ ...query, offset }).rows))
    return jumped
  }
  for (const key of SORTS) {
    for (const isDescending of [false, true]) {
      for (const [name, filter] of FILTERS) {
        const expected = reference(truth, key, isDescending, filter)
        const query: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key, isDescending }, ...filter }
        assert.deepEqual(jumpedPages(query, expected.length), expected, `${key} ${isDescending ? 'desc' : 'asc'}, ${name}: jumped pages`)
        assert.equal(table.page({ ...query, offset: 100 }).total, expected.length)
      }
    }
  }
  const byName: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key: 'name', isDescending: false }, classIds: [2, 4] }
  const before = jumpedPages(byName, truth.length)
  // The store's connection adds an image that sorts first under the class filter.
  const { image } = store.images.upsert({ sourceId, relativePath: '0-first.jpg', byteSize: 10, mtimeMs: 1, sha256: sha(9999) })
  store.predictions.save({
    runId, imageId: image.id, imageSha256: sha(9999), gateProbability: 0.5, gatePassed: true, probMaps: null, masks: [],
    classStats: [{ classId: 2, areaImagePx: 50, maxProbability: 0.9, disagreement: null }],
  })
  store.images.markDone(image.id, { width: 1600, height: 256 })
  assert.deepEqual(jumpedPages(byName, before.length + 1), [image.id, ...before], 'a write by another connection')
  assert.equal(table.page({ ...byName, offset: 100 }).total, before.length + 1)
  // The reader's own connection removes that image's prediction again.
  reader.prepare('DELETE FROM predictions WHERE image_id = ?').run(image.id)
  assert.deepEqual(jumpedPages(byName, before.length), before, 'a write by the same connection')
  // Writes the Library does not show (here a review) keep the table; a write to the images makes it again.
  const deep: ImageTableQuery = { sourceId, runId, offset: 100, limit: LIMIT, sort: { key: 'name', isDescending: false } }
  table.explainPage(deep)
  const statementsWithTable = table.explainPage(deep).length
  reader.prepare("INSERT INTO reviews (image_id, status, author, note, created_at_ms) VALUES (?, 'accepted', 'ana', '', 1)").run(before[0])
  assert.equal(table.explainPage(deep).length, statementsWithTable, 'a review leaves the seek table as it was')
  const reviewedDeep: ImageTableQuery = { ...deep, review: 'unreviewed' }
  table.explainPage(reviewedDeep)
  const statementsUnderReviewFilter = table.explainPage(reviewedDeep).length
  reader.prepare("INSERT INTO reviews (image_id, status, author, note, created_at_ms) VALUES (?, 'accepted', 'ana', '', 2)").run(before[1])
  assert.ok(table.explainPage(reviewedDeep).length > statementsUnderReviewFilter, 'a review makes the seek table of a review filter again')
  reader.prepare("UPDATE images SET error = 'checked' WHERE id = ?").run(before[0])
  assert.ok(table.explainPage(deep).length > statementsWithTable, 'a changed image makes the seek table again')
  reader.prepare('UPDATE images SET error = NULL WHERE id = ?').run(before[0])
  // A repo that keeps tables after writes: a jump lands where the table was made (one row off here), a page after a row stays exact.
  const keeping = createImageTableRepo(reader, { seekStride: 5, seekStaleFactor: 1e9 })
  const at = (offset: number) => ids(keeping.page({ ...byName, offset }).rows)
  assert.deepEqual(at(14), before.slice(14, 14 + LIMIT))
  reader.prepare('DELETE FROM predictions WHERE image_id = ?').run(before[0])
  assert.deepEqual(at(14), before.slice(14, 14 + LIMIT), 'the table made before the write')
  assert.equal(keeping.page({ ...byName, offset: 14 }).total, before.length - 1, 'the total is counted again')
  assert.deepEqual(ids(keeping.page({ ...byName, offset: 14, afterImageId: before[14] }).rows), before.slice(15, 15 + LIMIT))
  reader.close()
  store.close()
})

test('each page reads its rows along an index, never sorting the source in a temporary B-tree', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId } = populate(store)
  for (const key of SORTS) {
    for (const [name, filter] of FILTERS) {
      const query: ImageTableQuery = { sourceId, runId, offset: 30, limit: LIMIT, sort: { key, isDescending: true }, ...filter }
      // Jumped to, and continued after a row (the keyset statements).
      const afterImageId = store.imageTable.page(query).rows[0]?.image.id ?? null
      const plans = [...store.imageTable.explainPage(query), ...store.imageTable.explainPage({ ...query, afterImageId })]
      // The few images of a review state are sorted, and only they: read along that state's index.
      const sortsState = filter.review !== undefined && filter.review !== 'unreviewed' && key !== 'name'
      for (const plan of plans) {
        if (sortsState) assert.match(plan, /^SEARCH i USING (COVERING )?INDEX images_(by_review|edited) \(source_id=\?/, `${key}, ${name}: ${plan}`)
        else assert.doesNotMatch(plan, /USE TEMP B-TREE FOR ORDER BY/, `${key}, ${name}: ${plan}`)
      }
    }
  }
  store.close()
})

test('a review filter in name order reads only that state\'s images, along its own index', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId } = populate(store)
  for (const [review, index] of [['flagged', 'images_by_review'], ['unreviewed', 'images_by_review'], ['edited', 'images_edited']] as const) {
    const plans = store.imageTable.explainPage({ sourceId, runId, offset: 7, limit: LIMIT, sort: { key: 'name', isDescending: false }, review })
    assert.ok(plans.length >= 2, `${review}: a count and a page`)
    for (const plan of plans) assert.match(plan, new RegExp(`^SEARCH i USING (COVERING )?INDEX ${index} \\(source_id=\\?`), `${review}: ${plan}`)
  }
  store.close()
})
