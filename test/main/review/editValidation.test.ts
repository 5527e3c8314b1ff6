// Review edits are checked before they are stored (image, run, class, RLE at the image's size, the
// revision they were made on), and a corrupt mask already in a database is named by every export
// and by /coil/mask instead of failing anonymously or being written out.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { CoilResources } from '../../../src-main/app/coilResources.ts'
import { EditConflictError, ReviewInputError, revertToModel, saveMaskEdit, setReview } from '../../../src-main/review/index.ts'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'
import { makeReviewedRun, type ReviewedRun } from '../export/reviewedRun.ts'

let fx: ReviewedRun
let imageId: number
let name: string
before(async () => {
  fx = await makeReviewedRun(4)
  ;[name, imageId] = [...fx.imageIds].sort()[1]
})
after(() => fx.store.close())

const current = (classId: number) => fx.store.masks.current(imageId, classId)!
const edit = (overrides: Partial<Parameters<typeof saveMaskEdit>[1]>) =>
  saveMaskEdit(fx.store, { imageId, classId: 1, runId: fx.runId, beforeRle: '', afterRle: '1 10', baseRevision: current(1).revision, tool: 'brush', author: 'ana', ...overrides })

test('malformed masks, unknown classes, images and runs are refused with what is wrong; nothing is stored', () => {
  const edits = fx.store.edits.listForImage(imageId).length
  const revision = current(1).revision
  const label = `image ${imageId} (${name}), class 1`
  const cases: [Partial<Parameters<typeof saveMaskEdit>[1]>, string][] = [
    [{ afterRle: '1 2 3' }, `the edited mask of ${label} is not valid: RLE has an odd number of values (3)`],
    [{ afterRle: '10 5 12 1' }, `the edited mask of ${label} is not valid: RLE pair 2 (start 12) is unsorted or overlaps`],
    [{ afterRle: '5 1 1 1' }, `the edited mask of ${label} is not valid: RLE pair 2 (start 1) is unsorted or overlaps`],
    [{ afterRle: `${256 * 1600} 2` }, `the edited mask of ${label} is not valid: RLE pair 1 runs past the 256×1600 image`],
    [{ afterRle: '0 5' }, `the edited mask of ${label} is not valid: RLE pair 1 is not two positive integers: "0 5"`],
    [{ beforeRle: '1' }, `the mask before the edit of ${label} is not valid: RLE has an odd number of values (1)`],
    [{ classId: 99 }, 'no class 99 in model set fixture-nchw (its classes are 1, 2, 3, 4)'],
    [{ imageId: 987654 }, 'no image 987654'],
    [{ runId: 987654 }, 'no run 987654'],
  ]
  for (const [input, message] of cases) {
    assert.throws(() => edit(input), (error: Error) => {
      assert.ok(error instanceof ReviewInputError, `${JSON.stringify(input)}: ${error.message}`)
      assert.equal(error.message, message)
      return true
    })
  }
  assert.throws(() => setReview(fx.store, { imageId: 987654, status: 'accepted', author: 'ana' }), { message: 'no image 987654' })
  assert.equal(fx.store.edits.listForImage(imageId).length, edits)
  assert.equal(current(1).revision, revision)
})

test('an edit made on an older revision is refused as a conflict; the newer edit stays', () => {
  const base = current(2).revision
  const first = edit({ classId: 2, afterRle: '1 20', baseRevision: base })
  assert.equal(first, base + 1)
  assert.throws(
    () => edit({ classId: 2, afterRle: '1 30', baseRevision: base }),
    (error: Error) => {
      assert.ok(error instanceof EditConflictError)
      assert.equal(error.message, `image ${imageId} (${name}), class 2 changed since this edit began: it is at revision ${base + 1}, the edit was made on revision ${base}; reload the image and edit again`)
      return true
    },
  )
  assert.throws(() => revertToModel(fx.store, { imageId, classId: 2, runId: fx.runId, beforeRle: '', baseRevision: base, author: 'ana' }), EditConflictError)
  assert.equal(current(2).rle, '1 20')
  assert.equal(edit({ classId: 2, afterRle: '1 30', baseRevision: base + 1 }), base + 2, 'on the current revision it goes in')
})

test('a corrupt mask already in the database: every export names the image and class, exits non-zero and writes nothing; /coil/mask says why', async () => {
  // As an older version (or a hand edit of the file) could have left it: straight into the store.
  fx.store.edits.record({ imageId, classId: 3, beforeRle: '', afterRle: '7 3 9', tool: 'brush', author: 'old-version', runId: fx.runId })
  const expected = `coilscope: ${name} (image ${imageId}), class 3: the stored human mask is not valid: RLE has an odd number of values (3); nothing was written`
  for (const what of ['csv', 'png', 'indexed-png', 'coco']) {
    const out = join(tempDir(), `out-${what}`)
    const run = runCli(['export', '--db', fx.dbPath, '--what', what, '--masks', 'reviewed', '--out', out])
    assert.equal(run.status, 1, `${what}: ${run.stderr}`)
    assert.equal(run.stderr.trim(), expected, what)
    assert.ok(!existsSync(out), `${what}: nothing written`)
  }
  const response = await new CoilResources(fx.store).respond(`mask/${imageId}/3`)
  assert.equal(response.status, 422)
  assert.equal(new TextDecoder().decode(response.body), `image ${imageId} (${name}), class 3: the stored mask is not valid: RLE has an odd number of values (3)`)
})
