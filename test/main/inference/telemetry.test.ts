// No process that runs models leaves onnxruntime's telemetry debug log (mat-debug-<pid>.log) in the
// temporary folder: the real CLI (its inference process and `models`' in-process check) with
// TMPDIR pointed at a fresh folder, which onnxruntime's telemetry writes into.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const BIN = fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url))

test('inspect and models leave no mat-debug log behind', async () => {
  const images = tempDir()
  await writeBlockImages(images, 2)
  const tmp = tempDir()
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, COILSCOPE_DEBUG: '' }
  delete env.ORT_DISABLE_TELEMETRY
  const inspect = spawnSync(process.execPath, [BIN, 'inspect', images, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(tempDir(), 's.csv')], { env, encoding: 'utf8' })
  assert.equal(inspect.status, 0, inspect.stderr)
  const models = spawnSync(process.execPath, [BIN, 'models', '--root', FIXTURES, '--json'], { env, encoding: 'utf8' })
  assert.equal(models.status, 0, models.stderr)
  assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('mat-debug-')), [])
})
