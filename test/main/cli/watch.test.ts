// `coilscope watch` as a plant runs it: the real CLI in a child process, the fixture models, a real
// SQLite file. Files written slowly are read once, complete; a burst is inspected in full; a kill -9
// mid-burst and a restart inspect every image exactly once.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { openStore } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'
import { countRows, startWatch, until } from '../../helpers/watchCli.ts'

const NCHW = join(FIXTURES, 'nchw')
const BURST = 500
const originals = tempDir()
let names: string[] = []

before(async () => {
  names = await writeBlockImages(originals, BURST)
})

const watchArgs = (folder: string, db: string) => [folder, '--db', db, '--models', NCHW, '--provider', 'cpu', '--threads', '1', '--stable-ms', '700', '--status-every', '2']
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const okLines = (lines: readonly string[]) => lines.filter((line) => / {2}ok {2}/.test(line)).map((line) => line.split(/ {2}/)[1])

test('a file written in chunks over seconds, and one written under a temporary name, are each read once, complete', async () => {
  const folder = tempDir()
  const db = join(tempDir(), 'chunks.db')
  const watch = startWatch(watchArgs(folder, db))
  await watch.started
  const bytes = readFileSync(join(originals, names[0]))
  const target = join(folder, 'slow.jpg')
  const fd = openSync(target, 'w')
  const chunk = Math.ceil(bytes.length / 6)
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    writeSync(fd, bytes, offset, Math.min(chunk, bytes.length - offset))
    await sleep(400) // under the 700 ms the watcher waits for a stable size
  }
  closeSync(fd)
  const partial = join(folder, 'coil-b.jpg.part')
  copyFileSync(join(originals, names[1]), partial)
  await sleep(1500)
  renameSync(partial, join(folder, 'coil-b.jpg'))
  await until(() => watch.lines.length >= 2, 'two result lines')
  await sleep(1500) // anything read twice would show by now
  watch.child.kill('SIGINT')
  assert.equal(await watch.exited, 0, watch.stderr())
  assert.deepEqual(okLines(watch.lines).sort(), ['coil-b.jpg', 'slow.jpg'], watch.lines.join('\n'))
  assert.match(watch.stderr(), /SIGINT: finishing the image in hand/)
  const store = openStore(db)
  const images = store.images.listBySource(store.sources.list()[0].id)
  assert.deepEqual(images.map((i) => i.relativePath).sort(), ['coil-b.jpg', 'slow.jpg'], 'the .part name never became an image')
  const slow = images.find((i) => i.relativePath === 'slow.jpg')!
  assert.equal(slow.sha256, createHash('sha256').update(bytes).digest('hex'), 'inspected with all its bytes')
  assert.equal(store.predictions.countByRun(1), 2)
  assert.equal(store.jobs.listActive().length, 0, 'a clean stop leaves no job active')
  store.close()
})

test(`a burst of ${BURST} files, kill -9 mid-burst, restart: every image inspected exactly once, integrity ok`, async () => {
  const folder = tempDir()
  mkdirSync(join(folder, 'coil-A'))
  const db = join(tempDir(), 'burst.db')
  const first = startWatch(watchArgs(folder, db))
  await first.started
  // Half in the folder, half in a coil sub-folder, as fast as the disk takes them.
  names.forEach((name, i) => copyFileSync(join(originals, name), join(folder, i % 2 ? 'coil-A' : '', name)))
  await until(() => countRows(db, 'SELECT count(*) AS n FROM predictions') >= 100, '100 results before the kill')
  first.child.kill('SIGKILL')
  assert.equal(await first.exited, 'SIGKILL')
  const atKill = countRows(db, 'SELECT count(*) AS n FROM predictions')
  assert.ok(atKill < BURST, `killed with ${atKill} of ${BURST} done`)

  const second = startWatch(watchArgs(folder, db))
  await second.started
  await until(() => countRows(db, 'SELECT count(*) AS n FROM predictions') >= BURST, 'every result after the restart')
  await sleep(1500)
  second.child.kill('SIGTERM')
  assert.equal(await second.exited, 0, second.stderr())

  const seen = [...okLines(first.lines), ...okLines(second.lines)]
  const expected = names.map((name, i) => (i % 2 ? `coil-A/${name}` : name))
  assert.deepEqual([...seen].sort(), [...expected].sort(), 'each image reported once over both processes')
  const store = openStore(db)
  assert.deepEqual(store.checkIntegrity(), [])
  assert.equal(store.runs.list().length, 1)
  assert.equal(store.predictions.countByRun(1), BURST)
  const jobs = store.jobs.listRecent(10)
  assert.equal(jobs.length, 1, 'the restart resumed the interrupted watch job')
  assert.equal(jobs[0].state, 'cancelled')
  assert.equal(store.runs.get(1)!.status, 'cancelled')
  store.close()
})
