// `coilscope synth` as a user runs it.
import assert from 'node:assert/strict'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'

test('synth writes the images and truth.csv and reports images/s', () => {
  const dir = join(tempDir('coilscope-synth-'), 'new-folder')
  const run = runCli(['synth', dir, '--count', '3', '--seed', '4', '--defect-rate', '1', '--json'])
  assert.equal(run.status, 0, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.equal(summary.count, 3)
  assert.equal(summary.defective, 3)
  assert.match(run.stderr, /images\/s/)
  const names = readdirSync(dir).sort()
  assert.equal(names.length, 4)
  assert.ok(names.includes('truth.csv'))
  for (const name of names.filter((n) => n !== 'truth.csv')) assert.match(name, /^[0-9a-f]{9}\.jpg$/)
})

const BAD_ARGUMENTS: readonly (readonly string[])[] = [
  ['--count', '-1', '--seed', '1'],
  ['--count', '0', '--seed', '1'],
  ['--count', 'ten', '--seed', '1'],
  ['--count', '2'],
  ['--count', '2', '--seed', '-3'],
  ['--count', '2', '--seed', '1', '--defect-rate', '1.5'],
  ['--count', '2', '--seed', '1', '--start-index', '-1'],
  ['--count', '2', '--seed', '1', '--quality', '0'],
]

for (const args of BAD_ARGUMENTS) {
  test(`synth ${args.join(' ')} exits 2 with a message`, () => {
    const run = runCli(['synth', tempDir('coilscope-synth-'), ...args])
    assert.equal(run.status, 2)
    assert.match(run.stderr, /error|coilscope:/)
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
  })
}

test('synth into a file exits 2', () => {
  const file = join(tempDir('coilscope-synth-'), 'not-a-folder')
  writeFileSync(file, 'x')
  const run = runCli(['synth', file, '--count', '1', '--seed', '1'])
  assert.equal(run.status, 2)
  assert.match(run.stderr, /not a folder/)
})
