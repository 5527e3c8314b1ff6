// The app's renderer bundle carries no test hooks: the review state and the measured times are on
// window only in the end-to-end tests' build (out/renderer-e2e), where the same search finds them.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

const OUT = new URL('../../out/', import.meta.url).pathname
const HOOKS = ['coilscopeReview', 'coilscopeRenderTimes', 'coilscopePaintTimes', 'installTestHooks']

/** Each test hook's name, with the bundle files that hold it. */
function hooksIn(dir: string): Map<string, string[]> {
  if (!existsSync(join(dir, 'index.html'))) assert.fail(`${dir} is not built: npm test builds it first (npm run build)`)
  const found = new Map<string, string[]>()
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(js|html)$/.test(f))) {
    const text = readFileSync(join(dir, file), 'utf8')
    for (const hook of HOOKS) if (text.includes(hook)) found.set(hook, [...(found.get(hook) ?? []), file])
  }
  return found
}

test('the production renderer bundle has no test hooks', () => {
  assert.deepEqual(Object.fromEntries(hooksIn(join(OUT, 'renderer'))), {})
})

test('the end-to-end build has them (the search above can find them)', () => {
  assert.deepEqual([...hooksIn(join(OUT, 'renderer-e2e')).keys()].sort(), ['coilscopePaintTimes', 'coilscopeRenderTimes', 'coilscopeReview'])
})
