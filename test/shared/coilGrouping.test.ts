// Grouping images into coils by each of the three forms, and every file it cannot place reported.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { coilGroupingSchema, defaultGrouping, groupIntoCoils, patternProblem, type CoilMappingRow, type GroupingResult } from '../../src-shared/coilGrouping.ts'

const ctx = { singleName: 'source' }

test('default: subfolders when any image is in one, else the whole source is one coil', () => {
  assert.deepEqual(defaultGrouping(['a.jpg', 'b.jpg']), { kind: 'single' })
  assert.deepEqual(defaultGrouping(['a.jpg', 'C1/b.jpg']), { kind: 'subfolders' })
})

test('single: one coil named after the source, ordered by name with numbers compared as numbers', () => {
  const result = groupIntoCoils(['img10.jpg', 'img2.jpg', 'img1.jpg'], { kind: 'single' }, ctx)
  assert.deepEqual(result, { coils: [{ name: 'source', files: ['img1.jpg', 'img2.jpg', 'img10.jpg'] }], problems: [] })
  assert.deepEqual(groupIntoCoils([], { kind: 'single' }, ctx), { coils: [], problems: [] })
})

test('subfolders: one coil per folder, files in name order; a loose file is reported', () => {
  const result = groupIntoCoils(['B/2.jpg', 'A/10.jpg', 'A/9.jpg', 'loose.jpg', 'B/1.jpg'], { kind: 'subfolders' }, ctx)
  assert.deepEqual(result.coils, [
    { name: 'A', files: ['A/9.jpg', 'A/10.jpg'] },
    { name: 'B', files: ['B/1.jpg', 'B/2.jpg'] },
  ])
  assert.deepEqual(result.problems, [{ file: 'loose.jpg', problem: 'not inside a coil subfolder' }])
})

const PATTERN = '^(?<coil>[A-Z0-9]+)_(?<seq>\\d+)\\.jpg$'

test('pattern: coil and seq from named groups, ordered by seq as a number; misfits reported per file', () => {
  const files = ['K7_10.jpg', 'K7_9.jpg', 'A1_1.jpg', 'notes.jpg', 'K7_09.jpg']
  const result = groupIntoCoils(files, { kind: 'pattern', pattern: PATTERN }, ctx)
  assert.deepEqual(result.coils, [
    { name: 'A1', files: ['A1_1.jpg'] },
    { name: 'K7', files: ['K7_9.jpg', 'K7_10.jpg'] },
  ])
  assert.deepEqual(result.problems, [
    { file: 'notes.jpg', problem: `file name does not match the pattern ${PATTERN}` },
    { file: 'K7_09.jpg', problem: 'coil K7 already has sequence 9 (K7_9.jpg)' },
  ])
})

test('pattern: a bad pattern is refused by the schema and, if it gets through, reported on every file (no throw)', () => {
  const cases: [string, RegExp][] = [
    ['(?<coil>[A-Z', /not a valid regular expression/],
    ['(?<coil>\\w+)_(\\d+)', /no named group \(\?<seq>…\)/],
    ['(\\w+)_(\\d+)', /no named group \(\?<coil>…\) or \(\?<seq>…\)/],
  ]
  for (const [pattern, message] of cases) {
    assert.match(patternProblem(pattern) ?? '', message, pattern)
    const parsed = coilGroupingSchema.safeParse({ kind: 'pattern', pattern })
    assert.equal(parsed.success, false, pattern)
    const result = groupIntoCoils(['a_1.jpg', 'b_2.jpg'], { kind: 'pattern', pattern }, ctx)
    assert.equal(result.coils.length, 0)
    assert.deepEqual(result.problems.map((p) => p.file), ['a_1.jpg', 'b_2.jpg'])
    for (const p of result.problems) assert.match(p.problem, message)
  }
  assert.equal(patternProblem(PATTERN), null)
})

test('pattern: the length is limited, and what only a backtracking engine can run is refused by name', () => {
  const long = `^(?<coil>[A-Z0-9]+)_(?<seq>\\d+)${'(?:x)?'.repeat(40)}\\.jpg$`
  assert.match(patternProblem(long) ?? '', new RegExp(`is ${long.length} characters long; at most 200`))
  for (const [pattern, feature] of [['^(?<coil>[A-Z]+)(?=_)_(?<seq>\\d+)', '`(?=`'], ['^(?<coil>[A-Z])\\1_(?<seq>\\d+)', '`\\1`'], ['^(?<coil>[A-Z])\\k<coil>_(?<seq>\\d+)', '`\\k`']]) {
    const problem = patternProblem(pattern) ?? ''
    assert.match(problem, /^the pattern uses what only a backtracking engine can run \(.*\); patterns run in time linear in the name, without lookarounds or backreferences$/, pattern)
    assert.ok(problem.includes(feature), `${problem} names ${feature}`)
    assert.equal(coilGroupingSchema.safeParse({ kind: 'pattern', pattern }).success, false, pattern)
  }
})

test('pattern: ordinary patterns are accepted and group as JavaScript would', () => {
  const cases: [string, string, { coil: string; seq: number }][] = [
    ['^(?<coil>[A-Z]\\d+)_(?<seq>\\d+)', 'K123_0042.jpg', { coil: 'K123', seq: 42 }],
    ['^(?<coil>.+)_(?<seq>\\d+)\\.png$', 'line-2_coil_7_0003.png', { coil: 'line-2_coil_7', seq: 3 }],
    ['^(?<coil>.+?)_(?<seq>\\d+)', 'A_B_7.png', { coil: 'A_B', seq: 7 }],
    ['(?<coil>\\w+)-(?<seq>\\d+)', 'x/ab-12.jpg', { coil: 'ab', seq: 12 }],
    ['^coil-(?<coil>\\d{5})(?<seq>\\d{2})\\.jpg$', 'coil-1234567.jpg', { coil: '12345', seq: 67 }],
    ['^(?<coil>[^_]+)_(?<seq>\\d+)(?:_(?:left|right))?\\.jpg$', 'C9_3_left.jpg', { coil: 'C9', seq: 3 }],
  ]
  for (const [pattern, file, expected] of cases) {
    assert.equal(patternProblem(pattern), null, pattern)
    const groups = new RegExp(pattern).exec(file.slice(file.lastIndexOf('/') + 1))!.groups!
    assert.deepEqual({ coil: groups.coil, seq: Number(groups.seq) }, expected, `JavaScript's reading of ${file}`)
    assert.deepEqual(groupIntoCoils([file], { kind: 'pattern', pattern }, ctx), { coils: [{ name: expected.coil, files: [file] }], problems: [] }, pattern)
  }
})

test('pattern: nested or ambiguous repetition runs in time linear in the name, so no name can stall grouping', async () => {
  // On each name a JavaScript regex would backtrack about 2^250 times; (a|a)* and (\\d|\\d\\d)+ have
  // one repetition level only, which a star-height check lets through.
  // Per case: the pattern, a name that stalls a backtracking engine, and one that matches, with its coil.
  const cases = [
    ['^(?<coil>(a+)+)_(?<seq>\\d+)$', `${'a'.repeat(250)}!`, 'aa_7', 'aa'],
    ['^(?<coil>(\\w+\\s?)*)(?<seq>\\d+)$', `${'a'.repeat(250)}!`, 'ab7', 'ab'],
    ['^(?<coil>([a-z]*)*)_(?<seq>\\d+)$', `${'a'.repeat(250)}!`, 'aa_7', 'aa'],
    ['^(?<coil>(a|a)*)_(?<seq>\\d+)$', `${'a'.repeat(250)}!`, 'aa_7', 'aa'],
    ['^(?<coil>(\\d|\\d\\d)+)_(?<seq>\\d+)$', `${'1'.repeat(250)}!`, '11_8', '11'],
  ]
  for (const [pattern, , good, coil] of cases) {
    assert.equal(patternProblem(pattern), null, pattern)
    assert.equal(new RegExp(pattern).exec(good)?.groups?.coil, coil, `JavaScript's reading of ${good}`)
  }
  // In a worker, so that a pattern that did backtrack fails this test instead of stalling the run.
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads')
     import(workerData.module).then(({ groupIntoCoils }) => parentPort.postMessage(workerData.cases.map(([pattern, stall, good]) =>
       groupIntoCoils([stall, good], { kind: 'pattern', pattern }, { singleName: 's' }))))`,
    { eval: true, workerData: { module: new URL('../../src-shared/coilGrouping.ts', import.meta.url).href, cases } },
  )
  let timer: NodeJS.Timeout | undefined
  try {
    const results = await Promise.race([
      once(worker, 'message').then(([r]) => r as GroupingResult[]),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('grouping did not finish in 60 s: a pattern backtracked')), 60_000))),
    ])
    results.forEach((result, i) => {
      const [pattern, stall, good, coil] = cases[i]
      assert.deepEqual(result.problems, [{ file: stall, problem: `file name does not match the pattern ${pattern}` }], pattern)
      assert.deepEqual(result.coils, [{ name: coil, files: [good] }], pattern)
    })
  } finally {
    clearTimeout(timer)
    await worker.terminate()
  }
})

test('pattern: a file name longer than a file system allows is reported, not matched', () => {
  const longName = `A1_${'1'.repeat(300)}.jpg`
  const result = groupIntoCoils([longName, 'A1_2.jpg'], { kind: 'pattern', pattern: PATTERN }, ctx)
  assert.deepEqual(result.coils, [{ name: 'A1', files: ['A1_2.jpg'] }])
  assert.deepEqual(result.problems, [{ file: longName, problem: 'file name is 307 characters long; names over 255 are not matched against the pattern' }])
})

test('pattern: a seq group that captures no digits is reported', () => {
  const result = groupIntoCoils(['A_x.jpg'], { kind: 'pattern', pattern: '(?<coil>[A-Z]+)_(?<seq>\\w+)\\.jpg' }, ctx)
  assert.deepEqual(result.coils, [])
  assert.match(result.problems[0].problem, /seq is not a whole number/)
})

test('csv: rows order files by seq; rows naming missing files, repeated rows and unlisted images are reported', () => {
  const mapping: CoilMappingRow[] = [
    { file: 'b.jpg', coil: 'C1', seq: 2, line: 2 },
    { file: 'a.jpg', coil: 'C1', seq: 1, line: 3 },
    { file: 'gone.jpg', coil: 'C1', seq: 3, line: 4 },
    { file: 'c.jpg', coil: 'C2', seq: 1, line: 5 },
    { file: 'c.jpg', coil: 'C2', seq: 2, line: 6 },
    { file: 'd.jpg', coil: 'C1', seq: 1, line: 7 },
  ]
  const result = groupIntoCoils(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'], { kind: 'csv', csvPath: 'map.csv' }, { ...ctx, mapping })
  assert.deepEqual(result.coils, [
    { name: 'C1', files: ['a.jpg', 'b.jpg'] },
    { name: 'C2', files: ['c.jpg'] },
  ])
  assert.deepEqual(result.problems, [
    { file: 'gone.jpg', problem: 'line 4 of the coil CSV names a file that is not an image of this source' },
    { file: 'c.jpg', problem: 'line 6 of the coil CSV maps this file a second time' },
    { file: 'e.jpg', problem: 'not listed in the coil CSV' },
    { file: 'd.jpg', problem: 'coil C1 already has sequence 1 (a.jpg)' },
  ])
})
