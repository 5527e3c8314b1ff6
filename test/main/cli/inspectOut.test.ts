// `inspect --out` is checked before any work, and a write that still fails at the end keeps the
// results (even in a temporary database) and says how to export them.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { runCli } from '../../helpers/cli.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const BIN = fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url))
const NCHW = join(FIXTURES, 'nchw')
const COUNT = 60
const folder = tempDir()

before(async () => {
  await writeBlockImages(folder, COUNT)
})

test('what can be checked is checked before the run: exit 2, nothing inspected, no database made', () => {
  const dir = tempDir()
  mkdirSync(join(dir, 'a-folder.csv'))
  writeFileSync(join(dir, 'exists.csv'), 'the user’s file')
  writeFileSync(join(dir, 'a-file'), '')
  const long = `${'x'.repeat(252)}.csv`
  const cases: [string, string][] = [
    [join(dir, 'missing', 's.csv'), `no such folder ${join(dir, 'missing')}`],
    [join(dir, 'a-file', 's.csv'), `${join(dir, 'a-file')} is not a folder`],
    [join(dir, 'a-folder.csv'), 'a folder is in the way'],
    [join(dir, long), 'the name is 256 bytes long, the limit is 255'],
    [join(dir, 'exists.csv'), 'it already exists (pass --force to replace it)'],
  ]
  for (const [out, problem] of cases) {
    const db = join(dir, 'results.db')
    const run = runCli(['inspect', folder, '--models', NCHW, '--provider', 'cpu', '--db', db, '--out', out])
    assert.equal(run.status, 2, `${out}: ${run.stderr}`)
    assert.equal(run.stderr.trim(), `coilscope: cannot write ${out}: ${problem}`)
    assert.ok(!existsSync(db), 'refused before the database was opened')
  }
  assert.equal(readFileSync(join(dir, 'exists.csv'), 'utf8'), 'the user’s file')
  const forced = runCli(['inspect', folder, '--models', NCHW, '--provider', 'cpu', '--out', join(dir, 'exists.csv'), '--force'])
  assert.equal(forced.status, 0, forced.stderr)
  assert.equal(parseSeverstalCsv(readFileSync(join(dir, 'exists.csv'), 'utf8'), 'exists.csv').imageIds.length, COUNT)
})

test('a file that appears at --out during the run is not replaced; the temporary database is kept and the export command works', async () => {
  const dir = tempDir()
  const out = join(dir, 'submission.csv')
  const child = spawn(process.execPath, [BIN, 'inspect', folder, '--models', NCHW, '--provider', 'cpu', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    // The first progress line: the run has started, past every check.
    if (stderr === '') writeFileSync(out, 'written by someone else meanwhile')
    stderr += chunk
  })
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve))
  assert.equal(status, 1, stderr)
  assert.equal(readFileSync(out, 'utf8'), 'written by someone else meanwhile')
  const last = stderr.trim().split('\n').at(-1)!
  const match = /^coilscope: cannot write (.+): it already exists \(pass --force to replace it\); the results are kept in (.+) — write them with coilscope export --db (.+) --run 1 --format kaggle2019 --out <file>$/.exec(last)
  assert.ok(match, last)
  assert.equal(match[1], out)
  const db = match[2]
  assert.equal(match[3], db)
  assert.ok(existsSync(db), `${db} is kept`)

  const csv = join(dir, 'recovered.csv')
  const exported = runCli(['export', '--db', db, '--run', '1', '--format', 'kaggle2019', '--out', csv])
  assert.equal(exported.status, 0, exported.stderr)
  assert.equal(parseSeverstalCsv(readFileSync(csv, 'utf8'), csv).imageIds.length, COUNT)
  rmSync(dirname(db), { recursive: true, force: true })
})
