// `coilscope compare` in a child process: a model set that has not run on the source is run, the
// images where the sets differ come first, the Dice drop carries its interval, and the report is
// written as HTML (with the overlay gallery) and as PDF.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { COMPARE_DATA_ID } from '../../../src-main/compare/compareHtml.ts'
import type { CompareResult } from '../../../src-main/compare/index.ts'
import { runCli } from '../../helpers/cli.ts'
import { writeCompareSource, writeWeakenedSet } from '../../helpers/compareFixture.ts'
import { FIXTURES, tempDir } from '../../helpers/images.ts'

const dir = tempDir()
const folder = join(dir, 'line')
const db = join(dir, 'c.db')
let weakened: string

before(async () => {
  const { mkdirSync } = await import('node:fs')
  mkdirSync(folder)
  await writeCompareSource(folder)
  weakened = writeWeakenedSet(join(dir, 'weakened'))
  const inspect = runCli(['inspect', folder, '--models', join(FIXTURES, 'nhwc'), '--db', db, '--out', join(dir, 'a.csv'), '--provider', 'cpu', '--threads', '1'])
  assert.equal(inspect.status, 0, inspect.stderr)
})

test('compare runs the weakened set, ranks the differing images first and prints B − A with its interval', () => {
  const html = join(dir, 'compare.html')
  const run = runCli(['compare', '--db', db, '--a', '1', '--b', weakened, '--threads', '1', '--seed', '3', '--out', html])
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stderr, /running .*weakened over .*line \(it has not run there yet\)/)
  assert.match(run.stdout, /B: run 2 · fixture-nhwc-weakened 1\.0\.0 · profile run defaults/)
  assert.match(run.stdout, /images where A and B differ: 2 of 8; most first:\n\s+0\.200\s+6400 px {2}coil-0000\.png {2}\(most in pits\)\n\s+0\.200\s+6400 px {2}coil-0006\.png {2}\(most in scratches\)/)
  assert.match(run.stdout, /mean Dice: A 1\.000, B 0\.988, B − A -0\.013 \[-0\.0\d\d, [+-]0\.000\]/)
  const page = readFileSync(html, 'utf8')
  const data = JSON.parse(new RegExp(`<script type="application/json" id="${COMPARE_DATA_ID}">(.*?)</script>`, 's').exec(page)![1]) as CompareResult
  assert.deepEqual(data.comparison.ranking.slice(0, 2).map((r) => r.name), ['coil-0000.png', 'coil-0006.png'])
  assert.equal((page.match(/<figure data-image=/g) ?? []).length, 2, 'one overlay per differing image')
  assert.equal((page.match(/<img src="data:image\/jpeg;base64,/g) ?? []).length, 2)
  assert.match(page, /data-side="A".*manifest sha256.*data-side="B"/s)

  const again = runCli(['compare', '--db', db, '--a', '1', '--b', weakened, '--json'])
  assert.equal(again.status, 0, again.stderr)
  assert.doesNotMatch(again.stderr, /running/, 'the set ran once; its run is found the second time')
  assert.deepEqual((JSON.parse(again.stdout) as CompareResult).comparison.agreement, data.comparison.agreement)
})

test('compare writes the report as PDF; it refuses to replace a file without --force', () => {
  const pdf = join(dir, 'compare.pdf')
  const run = runCli(['compare', '--db', db, '--a', '1', '--b', '1:run defaults', '--out', pdf])
  assert.equal(run.status, 0, run.stderr)
  assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-')
  const refused = runCli(['compare', '--db', db, '--a', '1', '--b', '2', '--out', pdf])
  assert.equal(refused.status, 2)
  assert.match(refused.stderr, /compare\.pdf.*--force/)
})

test('bad sides are one-line usage errors', () => {
  for (const [args, message] of [
    [['--a', '1', '--b', '77'], /no run 77 in/],
    [['--a', '1', '--b', '1:strict'], /no threshold profile named "strict"/],
    [['--a', '1', '--b', join(dir, 'nowhere')], /no folder by that path or name/],
  ] as const) {
    const run = runCli(['compare', '--db', db, ...args])
    assert.equal(run.status, 2, run.stderr)
    assert.match(run.stderr, message)
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
  }
  assert.ok(existsSync(db))
})
