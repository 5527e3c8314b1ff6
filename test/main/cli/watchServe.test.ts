// Two processes on one database: `coilscope watch` inspects arriving images while a reviewer signs
// them off through `coilscope serve` (its real web API over the socket). Neither loses a write.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { runInNewContext } from 'node:vm'
import type { CoilscopeApi } from '../../../src-shared/api.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'
import { countRows, startWatch, until } from '../../helpers/watchCli.ts'

const BIN = new URL('../../../bin/coilscope.js', import.meta.url).pathname
const NCHW = join(FIXTURES, 'nchw')
const COUNT = 120

async function serveApi(db: string) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d
      const match = /http:\/\/\S+token=\S+/.exec(stdout)
      if (match) resolve(match[0])
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
  })
  const { origin, searchParams } = new URL(url)
  const token = searchParams.get('token')!
  const script = await (await fetch(`${origin}/coilscope-bridge.js?token=${token}`)).text()
  const window: Record<string, unknown> = {
    location: { protocol: 'http:', host: new URL(url).host, search: `?token=${token}` },
    WebSocket,
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms).unref(),
  }
  runInNewContext(script, { window, URLSearchParams, JSON })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { api: window.coilscope as CoilscopeApi, stop: () => (child.kill('SIGTERM'), exited) }
}

test('watch and serve on one database: every image inspected, every review written, integrity ok', async (t) => {
  if (!existsSync(new URL('../../../out/renderer/index.html', import.meta.url))) assert.fail('the renderer is not built: npm test builds it first (npm run build)')
  const originals = tempDir()
  const names = await writeBlockImages(originals, COUNT)
  const folder = tempDir()
  const db = join(tempDir(), 'shared.db')
  const watch = startWatch([folder, '--db', db, '--models', NCHW, '--provider', 'cpu', '--threads', '1', '--stable-ms', '500'])
  await watch.started
  const served = await serveApi(db)
  t.after(() => served.stop())
  const { api } = served

  // Images arrive in small groups while the reviewer accepts whatever has a result.
  const reviewed = new Set<number>()
  let copied = 0
  const arrivals = (async () => {
    while (copied < COUNT) {
      for (const name of names.slice(copied, copied + 10)) copyFileSync(join(originals, name), join(folder, name))
      copied = Math.min(COUNT, copied + 10)
      await new Promise((resolve) => setTimeout(resolve, 300))
    }
  })()
  while (reviewed.size < COUNT) {
    const source = (await api.listSources()).find((s) => s.folderPath === folder)
    if (source) {
      const page = await api.listImages({ sourceId: source.id, runId: null, offset: 0, limit: 1000, sort: { key: 'name', isDescending: false }, filter: { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null } })
      for (const row of page.rows) {
        if (row.predictionId === null || reviewed.has(row.id)) continue
        await api.setReview({ imageId: row.id, status: 'accepted', note: `checked while watching (${row.name})` })
        reviewed.add(row.id)
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await arrivals
  watch.child.kill('SIGINT')
  assert.equal(await watch.exited, 0, watch.stderr())
  assert.equal(await served.stop(), 0)

  assert.equal(countRows(db, 'SELECT count(*) AS n FROM predictions'), COUNT)
  const store = openStore(db)
  assert.deepEqual(store.checkIntegrity(), [])
  const images = store.images.listBySource(store.sources.findByPath(folder)!.id)
  assert.equal(images.length, COUNT)
  for (const image of images) assert.equal(store.reviews.current(image.id)?.status, 'accepted', image.relativePath)
  assert.equal(watch.lines.length, COUNT, 'one line per image')
  store.close()
})
