// `coilscope demo` as a new user meets it: the real command in a child process, the bundled
// models/default, a fresh sample folder.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'

const cwd = tempDir()

test('demo: one screen that says what it did, how well, how fast, where the files are and what next', () => {
  const run = runCli(['demo', '--dir', 'coils', '--count', '6'], { cwd })
  assert.equal(run.status, 0, run.stderr)
  const screen = `${run.stdout}${run.stderr}`
  assert.ok(screen.trimEnd().split('\n').length < 25, screen)
  assert.match(run.stdout, /^Generating 6 synthetic coils with their true masks in coils\/ …$/m)
  assert.match(run.stdout, /^Inspected 6 images with model set default \S+ on .* \d+\.\d s: \d+\.\d\d images\/s$/m)
  assert.match(run.stdout, /^Scored against coils\/truth\.csv: Kaggle mean Dice [01]\.\d{4} over 24 \(image, class\) pairs$/m)
  for (const classId of [1, 2, 3, 4]) assert.match(run.stdout, new RegExp(`^ {4}${classId} +[01]\\.\\d{4} `, 'm'))
  assert.match(run.stdout, /^Wrote coils-submission\.csv \(the predicted masks, Kaggle CSV\) and coils\.db \(every result\); images in coils\/$/m)
  assert.match(run.stdout, /^ {2}(npm run build && )?npx coilscope serve --open --db coils\.db +review these results in your browser$/m)
  assert.match(run.stdout, /^ {2}npm start +the desktop app/m)
  // Why CUDA was not used is said once (not at all where it was used).
  assert.ok((screen.match(/CUDA provider is not installed/g) ?? []).length <= 1, screen)
  for (const file of ['coils/truth.csv', 'coils-submission.csv', 'coils.db']) assert.ok(existsSync(join(cwd, file)), file)
})

test('demo again: the images are already in its database, and it says so', () => {
  const run = runCli(['demo', '--dir', 'coils', '--count', '6'], { cwd })
  assert.equal(run.status, 0, run.stderr)
  assert.doesNotMatch(run.stdout, /Generating/)
  assert.match(run.stdout, /^All 6 images were already inspected in coils\.db/m)
  assert.match(run.stdout, /Kaggle mean Dice [01]\.\d{4} over 24 /)
})
