// Exports through the web host: the real `coilscope serve` over a library the real CLI inspected,
// and a real WebSocket client. A token holder names a file, never a path: the export is written
// under the library's export folder and downloaded by id.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import AdmZip from 'adm-zip'
import type { WebSocket } from 'ws'
import { runCli } from '../helpers/cli.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'
import { call, openSocket, startServe, type ServeProcess } from '../helpers/serveProcess.ts'

let work: string
let served: ServeProcess
let ws: WebSocket
let run: { sourceId: number; runId: number }

before(async () => {
  work = tempDir()
  const folder = join(work, 'coil')
  mkdirSync(folder)
  await writeBlockImages(folder, 4)
  const inspected = runCli(['inspect', folder, '--db', join(work, 'lib.db'), '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(work, 'submission.csv')])
  assert.equal(inspected.status, 0, inspected.stderr)
  served = await startServe(['--db', join(work, 'lib.db')])
  ws = await openSocket(served)
  const sources = (await call(ws, 'listSources')).result as { ok: true; value: { id: number; latestRunId: number }[] }
  run = { sourceId: sources.value[0].id, runId: sources.value[0].latestRunId }
})

after(async () => {
  ws?.close()
  await served?.stop()
})

async function exportRun(what: string, out: string) {
  return (await call(ws, 'exportRun', { ...run, what, out })).result
}

test('a path from the browser is refused and nothing is written there', async () => {
  const outside = join(tempDir(), 'bashrc')
  for (const out of [outside, '../../outside.csv', 'sub/dir.csv', '.bashrc', 'a\nb.csv', '..']) {
    const result = await exportRun('reviews', out)
    assert.equal(result.ok, false, out)
    assert.match((result as { error: string }).error, /give a file name/, out)
  }
  assert.equal(existsSync(outside), false)
  const zipName = await exportRun('png', 'masks.zip')
  assert.equal(zipName.ok, false)
  assert.match((zipName as { error: string }).error, /without \.zip/)
  const report = (await call(ws, 'writeReport', { ...run, out: join(work, 'report.html') })).result
  assert.equal(report.ok, false)
  assert.equal(existsSync(join(work, 'report.html')), false)
})

test('an export goes to the library export folder, each in its own, and downloads by id', async () => {
  const first = await exportRun('csv', 'run.csv')
  assert.ok(first.ok, JSON.stringify(first))
  const value = first.value as { path: string; downloadUrl: string; images: number }
  assert.equal(value.path, join(work, 'exports', '1', 'run.csv'))
  assert.equal(value.downloadUrl, `/coil/${served.token}/export/1`)
  const download = await fetch(`${served.origin}${value.downloadUrl}`)
  assert.equal(download.status, 200)
  assert.equal(download.headers.get('content-disposition'), `attachment; filename="run.csv"; filename*=UTF-8''run.csv`)
  const body = await download.text()
  assert.equal(body, readFileSync(value.path, 'utf8'))
  assert.match(body, /^ImageId_ClassId,EncodedPixels/)

  const second = (await exportRun('csv', 'run.csv')) as { ok: true; value: { path: string } }
  assert.equal(second.value.path, join(work, 'exports', '2', 'run.csv'), 'a second export with the same name does not replace the first')
  assert.ok(existsSync(value.path))

  assert.equal((await fetch(`${served.origin}/coil/wrong/export/1`)).status, 401)
  for (const id of ['99', '0', 'x', '1%2f..', '01']) assert.equal((await fetch(`${served.origin}/coil/${served.token}/export/${id}`)).status, 404, id)
})

test('a folder export downloads as a zip of the folder; a report downloads too', async () => {
  const result = (await exportRun('png', 'masks')) as { ok: true; value: { path: string; files: number; downloadUrl: string } }
  assert.ok(result.ok, JSON.stringify(result))
  const download = await fetch(`${served.origin}${result.value.downloadUrl}`)
  assert.equal(download.status, 200)
  assert.match(download.headers.get('content-disposition')!, /^attachment; filename="masks\.zip"/)
  const zip = new AdmZip(Buffer.from(await download.arrayBuffer()))
  const pngs = zip.getEntries().filter((entry) => entry.entryName.endsWith('.png'))
  assert.ok(pngs.length >= 4, `${pngs.length} PNGs`)
  assert.ok(zip.getEntries().every((entry) => entry.entryName.startsWith('masks/')))

  const report = (await call(ws, 'writeReport', { ...run, out: 'report.html' })).result as { ok: true; value: { downloadUrl: string; format: string } }
  assert.ok(report.ok, JSON.stringify(report))
  const html = await fetch(`${served.origin}${report.value.downloadUrl}`)
  assert.match(html.headers.get('content-disposition')!, /filename="report\.html"/)
  assert.equal(html.headers.get('content-type'), 'application/octet-stream', 'never rendered in the host\'s origin')
  assert.match(await html.text(), /<html/i)
})
