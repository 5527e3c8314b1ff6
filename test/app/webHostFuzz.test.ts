// Fuzzes the WebSocket API of the real `coilscope serve` over a real library on loopback: every
// method with mutated and random inputs, and broken frames. After it the host still answers and
// the database passes integrity_check. Bounded in count and time; a longer run by hand:
//   COILSCOPE_FUZZ_COUNT=20000 COILSCOPE_FUZZ_SECONDS=600 node --test test/app/webHostFuzz.test.ts
// (COILSCOPE_FUZZ_SEED replays a run.)
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { WebSocket } from 'ws'
import { API_METHODS } from '../../src-shared/api.ts'
import { openStore } from '../../src-main/store/index.ts'
import { runCli } from '../helpers/cli.ts'
import { nextFrame, seededRng, validInputs, type LibraryIds } from '../helpers/fuzzMessages.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'
import { call, closed, openSocket, startServe } from '../helpers/serveProcess.ts'

const COUNT = Number(process.env.COILSCOPE_FUZZ_COUNT ?? 400)
const SECONDS = Number(process.env.COILSCOPE_FUZZ_SECONDS ?? 60)
const SEED = Number(process.env.COILSCOPE_FUZZ_SEED ?? Date.now() % 1e9)
/** An answer slower than this means the host hangs. */
const ANSWER_MS = 30_000

test(`fuzz: ${COUNT} messages (at most ${SECONDS} s) at every API method; the host lives and the database is sound`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const sandbox = tempDir('coilscope-fuzz-')
  const folder = join(sandbox, 'coil')
  mkdirSync(folder)
  mkdirSync(join(sandbox, 'empty'))
  await writeBlockImages(folder, 3)
  const dbPath = join(sandbox, 'lib.db')
  const inspected = runCli(['inspect', folder, '--db', dbPath, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(sandbox, 'submission.csv')])
  assert.equal(inspected.status, 0, inspected.stderr)
  const served = await startServe(['--db', dbPath, '--models-root', join(sandbox, 'empty')])

  let ws = await openSocket(served)
  const sources = (await call(ws, 'listSources')).result as { ok: true; value: { id: number; latestRunId: number }[] }
  const images = (await call(ws, 'listImages', { sourceId: sources.value[0].id, runId: null, offset: 0, limit: 10, sort: { key: 'name', isDescending: false }, filter: { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null } })).result as { ok: true; value: { rows: { id: number }[] } }
  const ids: LibraryIds = {
    sourceId: sources.value[0].id,
    runId: sources.value[0].latestRunId,
    imageId: images.value.rows[0].id,
    sandboxPaths: [folder, join(sandbox, 'empty'), join(sandbox, 'missing'), join(folder, 'coil-0000.jpg'), `${folder}/../coil`],
  }
  const valid = validInputs(ids)
  const rng = seededRng(SEED)
  const stats = { sent: 0, answeredOk: 0, answeredError: 0, closedByHost: 0, broken: 0 }
  const methodsCalled = new Set<string>()
  const started = Date.now()
  let nextId = 1_000_000

  try {
    for (let n = 0; n < COUNT && Date.now() - started < SECONDS * 1000; n++) {
      const frame = nextFrame(rng, n, nextId++, valid, ids)
      stats.sent++
      if (frame.kind === 'broken') {
        stats.broken++
        const closing = closed(ws)
        ws.send(frame.data, { binary: frame.binary })
        const outcome = await Promise.race([closing, new Promise<null>((resolve) => setTimeout(() => resolve(null), ANSWER_MS).unref())])
        assert.ok(outcome, `the host neither closed nor answered a broken frame (${frame.what}); seed ${SEED}`)
        stats.closedByHost++
        ws = await openSocket(served)
        continue
      }
      methodsCalled.add(frame.method)
      const answer = await answerTo(ws, frame.text)
      if (answer === 'closed') {
        stats.closedByHost++
        ws = await openSocket(served)
      } else if (answer.result.ok) stats.answeredOk++
      else stats.answeredError++
      assert.ok(served.isAlive(), `serve exited after ${frame.text.slice(0, 300)} (seed ${SEED}): ${served.stderr()}`)
    }
    const seconds = (Date.now() - started) / 1000
    // The host still answers, a fresh socket too.
    assert.deepEqual((await call(ws, 'getAppInfo')).result.ok, true)
    ws.close()
    const fresh = await openSocket(served)
    assert.equal(((await call(fresh, 'listSources')).result as { ok: true; value: unknown[] }).value.length >= 1, true)
    fresh.close()
    const isAlive = served.isAlive()
    assert.equal(await served.stop(), 0, served.stderr())
    const store = openStore(dbPath)
    const integrity = store.checkIntegrity()
    store.close()
    console.log(
      `fuzz: seed ${SEED}: ${stats.sent} messages in ${seconds.toFixed(1)} s (${stats.broken} broken frames), ${stats.answeredOk} answered ok, ` +
        `${stats.answeredError} answered with an error, ${stats.closedByHost} sockets closed by the host; ${methodsCalled.size} methods called; ` +
        `host alive: ${isAlive}; integrity_check: ${integrity.length === 0 ? 'ok' : integrity.join('; ')}`,
    )
    assert.deepEqual(integrity, [])
    if (COUNT >= API_METHODS.length * 4) assert.deepEqual([...API_METHODS].filter((m) => !methodsCalled.has(m)), [], 'every method was called')
  } finally {
    await served.stop()
  }
})

/** The answer to one call, or 'closed' when the host closed the socket instead. */
function answerTo(ws: WebSocket, text: string): Promise<{ result: { ok: boolean } } | 'closed'> {
  const id = (JSON.parse(text) as { id: number }).id
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ANSWER_MS} ms to ${text.slice(0, 300)}`)), ANSWER_MS)
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(String(data))
      if (message.id !== id) return
      done()
      resolve(message)
    }
    const onClose = () => {
      done()
      resolve('closed')
    }
    const done = () => {
      clearTimeout(timer)
      ws.off('message', onMessage)
      ws.off('close', onClose)
    }
    ws.on('message', onMessage)
    ws.once('close', onClose)
    ws.send(text)
  })
}
