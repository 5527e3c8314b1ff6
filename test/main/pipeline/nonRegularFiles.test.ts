// FIFOs, sockets and device nodes never hang a scan, a run or a model check: real FIFOs (mkfifo),
// a real listening Unix socket and links to real device nodes, through the real CLI.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { scanFolder } from '../../../src-main/pipeline/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'
import { countRows } from '../../helpers/watchCli.ts'

const BIN = fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url))
const NCHW = join(FIXTURES, 'nchw')
/** Generous: the commands take seconds; before the fix they never ended. */
const LIMIT_MS = 120_000

const mkfifo = (path: string) => assert.equal(spawnSync('mkfifo', [path]).status, 0, `mkfifo ${path}`)

function cli(args: readonly string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: LIMIT_MS, env: { ...process.env, COILSCOPE_DEBUG: '' } })
  assert.equal(run.signal, null, `coilscope ${args.join(' ')} hung and was killed\n${run.stderr}`)
  return run
}

test('the scan skips FIFOs, sockets and links to devices by what they are, without reading them', async () => {
  const dir = tempDir()
  await writeBlockImages(dir, 1)
  mkfifo(join(dir, 'pipe.jpg'))
  symlinkSync('/dev/zero', join(dir, 'zero.jpg')) // reading it would never end
  symlinkSync('pipe.jpg', join(dir, 'link-to-pipe.png'))
  const server = createServer().listen(join(dir, 'socket.jpg'))
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const { entries } = await scanFolder(dir)
    assert.deepEqual(
      entries.map((e) => [e.name, e.kind, e.kind === 'image' ? e.format : e.reason]),
      [
        ['coil-0000.jpg', 'image', 'jpeg'],
        ['link-to-pipe.png', 'skipped', 'not a regular file (a FIFO)'],
        ['pipe.jpg', 'skipped', 'not a regular file (a FIFO)'],
        ['socket.jpg', 'skipped', 'not a regular file (a socket)'],
        ['zero.jpg', 'skipped', 'not a regular file (a character device)'],
      ],
    )
  } finally {
    server.close()
  }
})

test('an image replaced by a FIFO after the scan fails alone; the others, the one before it included, are inspected', async () => {
  const count = 60
  const dir = tempDir()
  const names = await writeBlockImages(dir, count)
  const victim = names.at(-1)!
  const db = join(tempDir(), 'fifo.db')
  const child = spawn(process.execPath, [BIN, 'inspect', dir, '--models', NCHW, '--provider', 'cpu', '--db', db, '--out', join(tempDir(), 's.csv'), '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const closed = new Promise<[number | null, string | null]>((resolve) => child.once('close', (code, sig) => resolve([code, sig])))
  // Once the first result is stored the scan is over; the last image is not read until the end.
  while (predictionCount(db) === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20))
  rmSync(join(dir, victim))
  mkfifo(join(dir, victim))
  const [status, signal] = await closed
  clearTimeout(killer)
  assert.equal(signal, null, `the run hung on the FIFO and was killed\n${stderr}`)
  assert.equal(status, 3, stderr)
  const summary = JSON.parse(stdout)
  assert.deepEqual(summary.errors, [{ file: join(dir, victim), error: 'not a regular file (a FIFO)' }])
  assert.equal(summary.succeeded, count - 1)
})

/** Predictions stored so far, read as a second process would (0 before the file exists). */
const predictionCount = (db: string) => countRows(db, 'SELECT count(*) AS n FROM predictions')

test('a FIFO model member: inspect and models refuse it with its name instead of hanging', async () => {
  const models = join(tempDir(), 'set')
  cpSync(NCHW, models, { recursive: true })
  const member = readdirSync(models).find((f) => f.startsWith('seg'))!
  rmSync(join(models, member))
  mkfifo(join(models, member))
  const images = tempDir()
  await writeBlockImages(images, 1)

  const inspect = cli(['inspect', images, '--models', models, '--provider', 'cpu', '--out', join(tempDir(), 's.csv')])
  assert.equal(inspect.status, 2, inspect.stderr)
  assert.equal(inspect.stderr.trim(), `coilscope: ${join(models, member)}: cannot read the model (not a regular file: a FIFO)`)

  const listed = cli(['models', '--root', join(models, '..'), '--json'])
  assert.equal(listed.status, 0, listed.stderr)
  const [set] = JSON.parse(listed.stdout)
  assert.equal(set.valid, false)
  assert.match(JSON.stringify(set), /cannot read the model \(not a regular file: a FIFO\)/)

  rmSync(join(models, 'manifest.json'))
  mkfifo(join(models, 'manifest.json'))
  const manifest = cli(['inspect', images, '--models', models, '--provider', 'cpu', '--out', join(tempDir(), 't.csv')])
  assert.equal(manifest.status, 2, manifest.stderr)
  assert.equal(manifest.stderr.trim(), `coilscope: ${join(models, 'manifest.json')}: cannot read the manifest (not a regular file: a FIFO)`)
})
