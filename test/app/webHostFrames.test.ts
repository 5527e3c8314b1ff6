// One refused frame closes that socket, never the host: the real `coilscope serve` in a child
// process and a real WebSocket client. The socket's size limit fits the largest message the
// schemas accept, so a legitimate mask edit is answered.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { MAX_API_MESSAGE_BYTES, MAX_RLE_CHARS } from '../../src-shared/apiSchemas.ts'
import { tempDir } from '../helpers/images.ts'
import { call, closed, openSocket, startServe, type ServeProcess } from '../helpers/serveProcess.ts'

let served: ServeProcess

before(async () => {
  served = await startServe(['--db', join(tempDir(), 'lib.db')])
})

after(async () => {
  await served.stop()
})

async function assertHostAnswers(): Promise<void> {
  assert.ok(served.isAlive(), `serve exited: ${served.stderr()}`)
  const ws = await openSocket(served)
  const answer = await call(ws, 'listSources')
  assert.deepEqual(answer.result, { ok: true, value: [] })
  ws.close()
}

test('a frame over the size limit closes that socket (1009) and the host goes on', async () => {
  const ws = await openSocket(served)
  const bystander = await openSocket(served)
  const outcome = closed(ws)
  ws.send('x'.repeat(MAX_API_MESSAGE_BYTES + 1))
  assert.equal((await outcome).code, 1009)
  assert.deepEqual((await call(bystander, 'listSources')).result, { ok: true, value: [] }, 'other sockets stay open')
  bystander.close()
  await assertHostAnswers()
})

test('a text frame of invalid UTF-8 closes that socket (1007) and the host goes on', async () => {
  const ws = await openSocket(served)
  const outcome = closed(ws)
  ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })
  assert.equal((await outcome).code, 1007)
  await assertHostAnswers()
})

test('a mask edit as large as the schema allows reaches the API and is answered', async () => {
  const ws = await openSocket(served)
  const rle = '1 2 '.repeat(MAX_RLE_CHARS / 4)
  assert.equal(rle.length, MAX_RLE_CHARS)
  const answer = await call(ws, 'saveMaskEdit', { runId: 1, imageId: 1, classId: 1, beforeRle: rle, afterRle: rle, tool: 'brush' })
  assert.equal(answer.result.ok, false) // no such run in an empty library: answered, not dropped
  const tooLong = await call(ws, 'saveMaskEdit', { runId: 1, imageId: 1, classId: 1, beforeRle: '', afterRle: `${rle}1`, tool: 'brush' })
  assert.match((tooLong.result as { error: string }).error, /afterRle/)
  ws.close()
  await assertHostAnswers()
})

test('a 1.2 MB mask edit is answered', async () => {
  const ws = await openSocket(served)
  const rle = '12345 6 '.repeat(150_000)
  const answer = await call(ws, 'saveMaskEdit', { runId: 1, imageId: 1, classId: 1, beforeRle: '', afterRle: rle, tool: 'brush' })
  assert.equal(answer.result.ok, false)
  ws.close()
  await assertHostAnswers()
})
