// /coil/image and /coil/thumb serve image files of their source only: the real `coilscope serve`
// over a folder with a text file named .jpg, links out of the folder and a FIFO put in place of an
// image after the scan.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { WebSocket } from 'ws'
import { stripWithBlock, tempDir, writeGray } from '../helpers/images.ts'
import { call, openSocket, startServe, type ServeProcess } from '../helpers/serveProcess.ts'

let served: ServeProcess
let ws: WebSocket
const ids = new Map<string, number>()

before(async () => {
  const work = tempDir()
  const folder = join(work, 'coil')
  const outside = join(work, 'outside')
  mkdirSync(folder)
  mkdirSync(outside)
  await writeGray(join(folder, 'good.jpg'), stripWithBlock(90), 'jpeg')
  copyFileSync(join(folder, 'good.jpg'), join(folder, 'later-fifo.jpg'))
  await writeGray(join(outside, 'secret.jpg'), stripWithBlock(200), 'jpeg')
  writeFileSync(join(outside, 'secret.txt'), 'not for the browser')
  writeFileSync(join(folder, 'text.jpg'), 'plain text named like an image')
  symlinkSync(join(outside, 'secret.jpg'), join(folder, 'link-out.jpg'))
  symlinkSync('../outside/secret.jpg', join(folder, 'relative-out.jpg'))
  symlinkSync(join(folder, 'good.jpg'), join(folder, 'link-in.jpg'))
  served = await startServe(['--db', join(work, 'lib.db')])
  ws = await openSocket(served)
  const source = (await call(ws, 'openFolder', { path: folder })).result as { ok: true; value: { id: number } }
  assert.ok(source.ok, JSON.stringify(source))
  const query = { sourceId: source.value.id, runId: null, offset: 0, limit: 100, sort: { key: 'name', isDescending: false }, filter: { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null } }
  const page = (await call(ws, 'listImages', query)).result as { ok: true; value: { rows: { id: number; name: string }[] } }
  for (const row of page.value.rows) ids.set(row.name, row.id)
  // After the scan: an image replaced by a FIFO (reading it would wait for a writer forever).
  rmSync(join(folder, 'later-fifo.jpg'))
  execFileSync('mkfifo', [join(folder, 'later-fifo.jpg')])
})

after(async () => {
  ws?.close()
  await served?.stop()
})

function get(kind: 'image' | 'thumb', name: string): Promise<Response> {
  const id = ids.get(name)
  assert.ok(id, `${name} was listed: ${[...ids.keys()].join(', ')}`)
  return fetch(`${served.origin}/coil/${served.token}/${kind}/${id}`, { signal: AbortSignal.timeout(10_000) })
}

test('an image inside its source is served, also through a link that stays inside', async () => {
  for (const name of ['good.jpg', 'link-in.jpg']) {
    const image = await get('image', name)
    assert.equal(image.status, 200, name)
    assert.equal(image.headers.get('content-type'), 'image/jpeg')
    assert.equal((await get('thumb', name)).status, 200, name)
  }
})

test('a text file named .jpg, links out of the folder and a FIFO are not served', async () => {
  for (const name of ['text.jpg', 'link-out.jpg', 'relative-out.jpg', 'later-fifo.jpg']) {
    for (const kind of ['image', 'thumb'] as const) {
      const response = await get(kind, name)
      assert.equal(response.status, 404, `${kind} ${name}`)
      assert.doesNotMatch(await response.text(), /not for the browser/)
    }
  }
  assert.ok(served.isAlive())
})
