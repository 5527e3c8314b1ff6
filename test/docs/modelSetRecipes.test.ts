// docs/model-sets.md: every recipe's manifest snippet is part of a fixture manifest that the
// formulation tests run (test/main/cli/formulations.test.ts), so the docs cannot drift from it.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { FIXTURES } from '../helpers/images.ts'

const docs = readFileSync(new URL('../../docs/model-sets.md', import.meta.url), 'utf8')
const recipes = [...docs.matchAll(/<!-- fixture: ([a-z0-9]+) -->\n```json\n([\s\S]*?)\n```/g)].map((m) => ({ fixture: m[1], snippet: JSON.parse(m[2]) }))

/** True when every key and value of `part` is in `whole` (arrays element by element). */
function isPart(part: unknown, whole: unknown): boolean {
  if (Array.isArray(part)) return Array.isArray(whole) && part.length === whole.length && part.every((p, i) => isPart(p, whole[i]))
  if (part && typeof part === 'object') return !!whole && typeof whole === 'object' && Object.entries(part).every(([k, v]) => isPart(v, (whole as Record<string, unknown>)[k]))
  return part === whole
}

test('the docs hold the five recipes', () => {
  assert.deepEqual(recipes.map((r) => r.fixture), ['keras', 'smp', 'softmax5', 'perclass', 'bgr'])
})

for (const { fixture, snippet } of recipes) {
  test(`the ${fixture} recipe is its fixture's manifest`, () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURES, fixture, 'manifest.json'), 'utf8'))
    assert.ok(isPart(snippet, manifest), `${JSON.stringify(snippet)} is not part of ${fixture}/manifest.json`)
  })
}
