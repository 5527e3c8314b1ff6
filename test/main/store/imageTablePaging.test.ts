// Paging the Library on a real SQLite file: under every sort, direction and filter, pages chained
// by their last row (keyset) and pages jumped to by offset both give exactly the reference order —
// no row skipped or repeated, ties broken by image id (or path), images without a value last.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openStore, type ImageTableQuery, type ImageTableRow } from '../../../src-main/store/index.ts'
import { createImageTableRepo } from '../../../src-main/store/repos/imageTableRepo.ts'
import { tempDbPath } from './fixtures.ts'
import { FILTERS, LIMIT, populate, reference, sha, SORTS } from './imageTableTruth.ts'

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

test('the few images of a review state under a sort are sorted once per change of the library, and a new review is seen at the next page', () => {
  const store = openStore(tempDbPath())
  const { sourceId, runId, truth } = populate(store)
  const query: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key: 'gateProbability', isDescending: true }, review: 'flagged' }
  const pages = () => [0, LIMIT, 2 * LIMIT].flatMap((offset) => store.imageTable.page({ ...query, offset }).rows.map((r) => r.image.id))
  const flagged = reference(truth, 'gateProbability', true, { review: 'flagged' })
  assert.deepEqual(pages(), flagged.slice(0, 3 * LIMIT))
  assert.equal(store.imageTable.tracePage({ ...query, offset: LIMIT }).length, 0, 'a page of a list sorted before reads no more ids, nor counts them again')
  const newlyFlagged = truth.find((t) => t.review === 'unreviewed' && t.gate !== null && t.gate >= 0.9)!
  store.reviews.record({ imageId: newlyFlagged.id, status: 'flagged', author: 'ana' })
  const again = store.imageTable.page({ ...query, offset: 0, limit: 1000 })
  assert.equal(again.total, flagged.length + 1)
  assert.ok(again.rows.some((r) => r.image.id === newlyFlagged.id), 'the new review is in the list')
  store.close()
})
