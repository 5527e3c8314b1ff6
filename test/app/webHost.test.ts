// The web host: the session token on every request and socket, the renderer's files and nothing
// beside them, the bridge script in the page, and window.coilscope over the socket — the served
// script itself, run in a sandbox against the real server.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { runInNewContext } from 'node:vm'
import { WebSocket as WsClient } from 'ws'
import type { CoilscopeApi } from '../../src-shared/api.ts'
import { createAppService, type AppService } from '../../src-main/app/appService.ts'
import { bridgeScript } from '../../src-main/web/bridgeClient.ts'
import { startWebHost, type WebHost } from '../../src-main/web/webHost.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { tempDir } from '../helpers/images.ts'

let store: Store
let service: AppService
let host: WebHost
let origin: string

before(async () => {
  const rendererDir = tempDir()
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  store = openStore(':memory:')
  service = createAppService({ store, host: { kind: 'web', resourceBase: '/coil/' } })
  host = await startWebHost({ service, rendererDir, host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${host.port}`
})

after(async () => {
  await host.close()
  service.close()
  store.close()
})

function socketStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WsClient(url, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    ws.on('error', reject)
  })
}

/** A page's window for the bridge: the real WebSocket, a timer that does not hold the test open. */
function pageWindow(search: string): Record<string, unknown> {
  return {
    location: { protocol: 'http:', host: `127.0.0.1:${host.port}`, search },
    WebSocket,
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms).unref(),
  }
}

test('the printed URL carries a random token; without it every request gets 401', async () => {
  assert.match(host.url, new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`))
  for (const path of ['/', '/index.html', '/assets/app.js', '/coil/thumb/1', '/coilscope-bridge.js', '/?token=wrong']) {
    assert.equal((await fetch(`${origin}${path}`)).status, 401, path)
  }
  const page = await fetch(host.url)
  assert.equal(page.status, 200)
  const cookie = page.headers.get('set-cookie')!
  assert.match(cookie, new RegExp(`^coilscope_${host.port}=${host.token}; HttpOnly; SameSite=Strict; Path=/$`))
  assert.match(page.headers.get('content-security-policy')!, /^default-src 'none'; script-src 'self';/)
  const html = await page.text()
  assert.ok(html.indexOf('<script src="/coilscope-bridge.js"></script>') < html.indexOf('<script type="module"'), 'the bridge comes first')

  const withCookie = { headers: { cookie: cookie.split(';')[0] } }
  assert.equal((await fetch(`${origin}/assets/app.js`, withCookie)).status, 200)
  assert.equal((await fetch(`${origin}/coil/thumb/1`, withCookie)).status, 404)
  assert.equal((await fetch(`${origin}/%2e%2e/%2e%2e/etc/passwd`, withCookie)).status, 404)
  assert.equal((await fetch(`${origin}/`, { ...withCookie, method: 'POST' })).status, 405)
})

test('sockets need the token too, and a page of another origin is refused', async () => {
  const socket = `ws://127.0.0.1:${host.port}/coilscope-socket`
  assert.equal(await socketStatus(socket), 401)
  assert.equal(await socketStatus(`${socket}?token=nope`), 401)
  assert.equal(await socketStatus(`${socket}?token=${host.token}`, { origin: 'http://evil.example' }), 401)
  assert.equal(await socketStatus(`ws://127.0.0.1:${host.port}/elsewhere?token=${host.token}`), 401)
  assert.equal(await socketStatus(socket, { cookie: `coilscope_${host.port}=${host.token}`, origin }), 101)
})

test('the served bridge script gives the page window.coilscope over the socket', async () => {
  const script = await (await fetch(`${origin}/coilscope-bridge.js?token=${host.token}`)).text()
  const window = pageWindow(`?token=${host.token}`)
  runInNewContext(script, { window, URLSearchParams, JSON })
  const api = window.coilscope as CoilscopeApi
  assert.ok(Object.isFrozen(api))
  const info = await api.getAppInfo()
  assert.deepEqual([info.host, info.resourceBase, info.canPickFolder], ['web', '/coil/', false])
  assert.equal(await api.pickFolder(), null)
  await assert.rejects(api.listImages({ sourceId: 0 } as never), /^Error: listImages: invalid input/)

  const received: unknown[] = []
  const stop = api.onSourcesChanged((event) => received.push(event))
  service.events.emit('sourcesChanged', { openedSourceId: 7 })
  await api.listSources() // the event went out before this answer
  stop()
  service.events.emit('sourcesChanged', { openedSourceId: 8 })
  await api.listSources()
  assert.deepEqual(received, [{ openedSourceId: 7 }])
  assert.equal(bridgeScript().includes(': BridgeWindow'), false, 'types are stripped from the served source')
})

test('coilscope serve listens on loopback unless told otherwise, and then warns', async () => {
  if (!existsSync(new URL('../../out/renderer/index.html', import.meta.url))) assert.fail('the renderer is not built: npm test builds it first (npm run build)')
  const bin = new URL('../../bin/coilscope.js', import.meta.url).pathname
  const child = spawn(process.execPath, [bin, 'serve', '--host', '0.0.0.0', '--port', '0', '--db', join(tempDir(), 'lib.db')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  await new Promise<void>((resolve) => child.stdout.on('data', (d) => (stdout += d).includes('Ctrl+C') && resolve()))
  const url = /http:\/\/\S+/.exec(stdout)![0]
  assert.match(url, /^http:\/\/0\.0\.0\.0:\d+\/\?token=/)
  assert.match(stderr, /warning: listening on 0\.0\.0\.0/)
  assert.equal((await fetch(url.replace('0.0.0.0', '127.0.0.1'))).status, 200)
  child.kill('SIGTERM')
  assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0)
})
