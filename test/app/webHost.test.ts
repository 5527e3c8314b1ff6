// The web host: the session token on the page, the socket and /coil/, its own host names only, the
// renderer's files and nothing beside them, the bridge script in the page, and window.coilscope over
// the socket — the served script itself, run in a sandbox against the real server.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { runInNewContext } from 'node:vm'
import { WebSocket as WsClient } from 'ws'
import type { CoilscopeApi } from '../../src-shared/api.ts'
import { createAppService, type AppService } from '../../src-main/app/appService.ts'
import { bridgeScript } from '../../src-main/web/bridgeClient.ts'
import { allowedHosts, isAllowedHost, isAllowedOrigin } from '../../src-main/web/hostCheck.ts'
import { coilBase, newToken, OneTimeCodes } from '../../src-main/web/sessionToken.ts'
import { startWebHost, type WebHost } from '../../src-main/web/webHost.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { tempDir } from '../helpers/images.ts'
import { startServe } from '../helpers/serveProcess.ts'

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
  const token = newToken()
  service = createAppService({ store, host: { kind: 'web', resourceBase: coilBase(token) } })
  host = await startWebHost({ service, rendererDir, host: '127.0.0.1', port: 0, token })
  origin = `http://127.0.0.1:${host.port}`
})

after(async () => {
  await host.close()
  service.close()
  store.close()
})

/** A GET with any Host header (fetch does not let a test set one). */
function statusWithHost(path: string, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: host.port, path, headers: { host: hostHeader } }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
      .on('error', reject)
      .end()
  })
}

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

test('the page and /coil/ need the token; the renderer files do not; no cookie is set', async () => {
  assert.match(host.url, new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`))
  for (const path of ['/', '/index.html', '/?token=wrong', '/coil/thumb/1', `/coil/wrong/thumb/1`, `/coil/${host.token}x/thumb/1`]) {
    assert.equal((await fetch(`${origin}${path}`)).status, 401, path)
  }
  const page = await fetch(host.url)
  assert.equal(page.status, 200)
  assert.equal(page.headers.get('set-cookie'), null, 'a 127.0.0.1 cookie would go to every port of the address')
  assert.match(page.headers.get('content-security-policy')!, /^default-src 'none'; script-src 'self';/)
  const html = await page.text()
  assert.ok(html.indexOf('<script src="/coilscope-bridge.js"></script>') < html.indexOf('<script type="module"'), 'the bridge comes first')

  assert.equal((await fetch(`${origin}/assets/app.js`)).status, 200)
  assert.equal((await fetch(`${origin}/coilscope-bridge.js`)).status, 200)
  assert.equal((await fetch(`${origin}${coilBase(host.token)}thumb/1`)).status, 404)
  assert.equal((await fetch(`${origin}/%2e%2e/%2e%2e/etc/passwd`)).status, 404)
  assert.equal((await fetch(host.url, { method: 'POST' })).status, 405)
})

test('only the names this host is known by are served (DNS rebinding)', async () => {
  const page = `/?token=${host.token}`
  for (const name of [`127.0.0.1:${host.port}`, `localhost:${host.port}`, `LOCALHOST:${host.port}`, `[::1]:${host.port}`]) {
    assert.equal(await statusWithHost(page, name), 200, name)
  }
  for (const name of [`evil.example:${host.port}`, 'evil.example', `127.0.0.1:${host.port + 1}`, `127.0.0.1`, `localhost.evil.example:${host.port}`]) {
    assert.equal(await statusWithHost(page, name), 421, name)
    assert.equal(await statusWithHost(`${coilBase(host.token)}thumb/1`, name), 421, name)
    assert.equal(await statusWithHost('/assets/app.js', name), 421, name)
  }
  const socket = `ws://127.0.0.1:${host.port}/coilscope-socket?token=${host.token}`
  assert.equal(await socketStatus(socket, { host: `evil.example:${host.port}` }), 401)
  assert.equal(await socketStatus(socket, { host: `evil.example:${host.port}`, origin: `http://evil.example:${host.port}` }), 401)
})

test('a one-time URL opens the page once, within a minute, and does not carry the token', async () => {
  const once = host.oneTimeUrl()
  assert.equal(once.includes(host.token), false)
  const first = await fetch(once, { redirect: 'manual' })
  assert.equal(first.status, 303)
  assert.equal(first.headers.get('location'), `/?token=${host.token}`)
  assert.equal((await fetch(once, { redirect: 'manual' })).status, 401, 'spent')
  assert.equal((await fetch(`${origin}/?code=made-up`, { redirect: 'manual' })).status, 401)

  let now = 0
  const codes = new OneTimeCodes(() => now)
  const late = codes.issue()
  const inTime = codes.issue()
  now = 60_001
  assert.equal(codes.redeem(late), false, 'out of date')
  now = 60_000
  assert.equal(codes.redeem(inTime), true)
})

test('sockets need the token in their URL and, from a browser, this host as their origin', async () => {
  const socket = `ws://127.0.0.1:${host.port}/coilscope-socket`
  assert.equal(await socketStatus(socket), 401)
  assert.equal(await socketStatus(`${socket}?token=nope`), 401)
  assert.equal(await socketStatus(socket, { cookie: `coilscope_${host.port}=${host.token}` }), 401, 'no cookie is honoured')
  assert.equal(await socketStatus(`${socket}?token=${host.token}`, { origin: 'http://evil.example' }), 401)
  assert.equal(await socketStatus(`${socket}?token=${host.token}`, { origin: 'null' }), 401)
  assert.equal(await socketStatus(`${socket}?token=${host.token}`, { origin: `http://127.0.0.1:${host.port + 1}` }), 401)
  assert.equal(await socketStatus(`ws://127.0.0.1:${host.port}/elsewhere?token=${host.token}`), 401)
  assert.equal(await socketStatus(`${socket}?token=${host.token}`, { origin }), 101)
  assert.equal(await socketStatus(`${socket}?token=${host.token}`, { origin: `http://localhost:${host.port}` }), 101)
  assert.equal(await socketStatus(`${socket}?token=${host.token}`), 101, 'not a browser: the token suffices')
})

test('the served bridge script gives the page window.coilscope over the socket', async () => {
  const script = await (await fetch(`${origin}/coilscope-bridge.js?token=${host.token}`)).text()
  const window = pageWindow(`?token=${host.token}`)
  runInNewContext(script, { window, URLSearchParams, JSON })
  const api = window.coilscope as CoilscopeApi
  assert.ok(Object.isFrozen(api))
  const info = await api.getAppInfo()
  assert.deepEqual([info.host, info.resourceBase, info.canPickFolder], ['web', coilBase(host.token), false])
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

test('coilscope serve --open gives the browser a one-time URL: the token is on no command line', { skip: process.platform !== 'linux' && 'xdg-open is the Linux opener' }, async () => {
  const bin = tempDir()
  const argvFile = join(bin, 'argv')
  // A stand-in for xdg-open that records its command line, as `ps` would show it.
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`, { mode: 0o755 })
  const served = await startServe(['--open', '--db', join(tempDir(), 'lib.db')], { ...process.env, PATH: `${bin}:${process.env.PATH}` })
  try {
    while (!existsSync(argvFile) || readFileSync(argvFile, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 50))
    const opened = readFileSync(argvFile, 'utf8').trim()
    assert.equal(opened.includes(served.token), false, opened)
    assert.match(opened, new RegExp(`^http://127\\.0\\.0\\.1:${served.port}/\\?code=[A-Za-z0-9_-]+$`))
    const redirect = await fetch(opened, { redirect: 'manual' })
    assert.equal(redirect.status, 303)
    assert.equal(new URL(redirect.headers.get('location')!, served.origin).href, served.url)
    assert.equal((await fetch(opened)).status, 401, 'the code works once')
  } finally {
    assert.equal(await served.stop(), 0)
  }
})

test('listening on every interface, the machine\'s own addresses are served too; port 80 may be left out', () => {
  const hosts = allowedHosts('0.0.0.0', 8080, ['192.168.1.5', 'fe80::1'])
  for (const name of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', '0.0.0.0:8080', '192.168.1.5:8080', '[fe80::1]:8080']) assert.ok(isAllowedHost(name, hosts), name)
  for (const name of ['192.168.1.6:8080', 'myhost:8080', '192.168.1.5:8081', '192.168.1.5']) assert.equal(isAllowedHost(name, hosts), false, name)
  assert.equal(isAllowedHost('192.168.1.5:8080', allowedHosts('127.0.0.1', 8080, ['192.168.1.5'])), false, 'only on a wildcard')
  assert.ok(isAllowedHost('localhost', allowedHosts('127.0.0.1', 80)))
  assert.ok(isAllowedOrigin('http://localhost:8080', hosts))
  assert.equal(isAllowedOrigin('http://localhost:8080.evil.example', hosts), false)
  assert.equal(isAllowedOrigin('https://localhost:8080', hosts), false)
})
