// The Electron shell without Electron: main.ts and the preload load against a fake `electron`, and
// the tests check what they asked of it — the window's security options, the CSP, the privileged
// protocols, one IPC handler per API method, the menu — and that the contract, main's handlers,
// the preload's functions and the web bridge name the same methods.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { API_EVENTS, API_METHODS, eventChannel, methodChannel, subscriptionName } from '../../src-shared/api.ts'
import { API_INPUT_SCHEMAS } from '../../src-shared/apiSchemas.ts'
import { RENDERER_CSP, RENDERER_CSP_HEADER } from '../../src-main/app/contentSecurity.ts'
import { BRIDGE_SPEC } from '../../src-main/web/bridgeClient.ts'
import { FakeWebContents, recorded, useFakeElectron } from './fakeElectron.ts'

const TRUSTED = { senderFrame: { url: 'app://renderer/index.html' } }
const sorted = (names: Iterable<string>) => [...names].sort()

before(async () => {
  // main.ts keeps its library in the per-user folder: point that at a temporary one.
  process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'coilscope-electron-'))
  useFakeElectron()
  const main = await import('../../src-main/main.ts')
  await main.started
  await import('../../src-main/preload/index.ts')
})

after(() => {
  for (const listener of recorded.appListeners.get('will-quit') ?? []) listener() // closes the store
})

test('the contract, the input schemas, main’s handlers, the preload and the web bridge name the same methods', () => {
  const contract = sorted(API_METHODS)
  assert.deepEqual(sorted(Object.keys(API_INPUT_SCHEMAS)), contract)
  assert.deepEqual(sorted(recorded.ipcHandlers.keys()), sorted(API_METHODS.map(methodChannel)))
  const exposed = recorded.exposed.get('coilscope')
  assert.deepEqual(sorted(Object.keys(exposed)), sorted([...API_METHODS, ...API_EVENTS.map(subscriptionName)]))
  assert.deepEqual(sorted(BRIDGE_SPEC.methods), contract)
  assert.deepEqual(sorted(BRIDGE_SPEC.events), sorted(API_EVENTS))
})

test('the window is sandboxed and isolated, and loads the app over app://', () => {
  const [window] = recorded.windows
  const prefs = window.options.webPreferences
  assert.deepEqual(
    { contextIsolation: prefs.contextIsolation, sandbox: prefs.sandbox, nodeIntegration: prefs.nodeIntegration, webSecurity: prefs.webSecurity, webviewTag: prefs.webviewTag },
    { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false },
  )
  assert.match(prefs.preload, /[\\/]preload[\\/]preload\.cjs$/)
  assert.equal(window.loadedUrl, 'app://renderer/index.html')
  assert.deepEqual(
    recorded.privilegedSchemes.map((s) => [s.scheme, s.privileges.standard, s.privileges.secure]),
    [['app', true, true], ['coil', true, true]],
  )
  assert.deepEqual(sorted(recorded.protocolHandlers.keys()), ['app', 'coil'])
  assert.equal(recorded.permissionCheckHandler!(), false)
  let granted: boolean | null = null
  recorded.permissionRequestHandler!(null, 'media', (answer: boolean) => (granted = answer))
  assert.equal(granted, false)
})

test('no web contents may navigate, redirect, open windows or attach webviews', () => {
  const contents = new FakeWebContents()
  for (const listener of recorded.appListeners.get('web-contents-created') ?? []) listener({}, contents)
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    let isPrevented = false
    contents.emit(event, { preventDefault: () => (isPrevented = true) }, 'https://example.com/')
    assert.ok(isPrevented, event)
  }
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://example.com/' }), { action: 'deny' })
})

test('the CSP forbids inline and eval’d script and remote content, in the page and in the app:// headers', () => {
  const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8')
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]
  assert.equal(meta, RENDERER_CSP, 'the meta tag and RENDERER_CSP agree')
  const directives = new Map(RENDERER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))
  assert.deepEqual(directives.get('default-src'), ["'none'"])
  assert.deepEqual(directives.get('script-src'), ["'self'"])
  assert.doesNotMatch(RENDERER_CSP, /unsafe-eval|unsafe-inline|https?:|\*/)
  assert.ok(RENDERER_CSP_HEADER.startsWith(RENDERER_CSP) && RENDERER_CSP_HEADER.includes("frame-ancestors 'none'"))
})

test('each handler answers the app’s own page only, validates its input and wraps errors', async () => {
  const call = (method: string, input: unknown, event: unknown = TRUSTED) => recorded.ipcHandlers.get(methodChannel(method as never))!(event, input)
  const info = await call('getAppInfo', undefined)
  assert.equal(info.ok, true)
  assert.deepEqual([info.value.host, info.value.resourceBase, info.value.canPickFolder], ['electron', 'coil://', true])
  assert.deepEqual(await call('getAppInfo', undefined, { senderFrame: { url: 'https://example.com/' } }), { ok: false, error: 'refused: not the Coilscope page' })
  assert.deepEqual(await call('listSources', undefined, { senderFrame: null }), { ok: false, error: 'refused: not the Coilscope page' })
  const bad = await call('listImages', { sourceId: -1 })
  assert.equal(bad.ok, false)
  assert.match(bad.error, /^listImages: invalid input \(sourceId: /)
  const extra = await call('openFolder', { path: '/tmp', also: 'this' })
  assert.match(extra.error, /openFolder: invalid input .*also/)
  const missing = await call('openFolder', { path: '/no/such/folder' })
  assert.deepEqual(missing, { ok: false, error: '/no/such/folder: no such folder' })
})

test('app events reach the window on their own channels', async () => {
  const [window] = recorded.windows
  window.webContents.sent.length = 0
  await recorded.ipcHandlers.get(methodChannel('setSettings'))!(TRUSTED, { theme: 'light' })
  const menu = recorded.menuTemplate as { label?: string; submenu: { label?: string; click?: () => void }[] }[]
  menu.find((m) => m.label === '&File')!.submenu.find((i) => i.label === 'Export…')!.click!()
  assert.deepEqual(window.webContents.sent, [{ channel: eventChannel('commandRequested'), payload: { command: 'showExport', path: null } }])
})

test('the application menu has Open Folder…, Open Recent, Export…, Quit and Help with shortcuts', () => {
  const menu = recorded.menuTemplate as { label?: string; role?: string; submenu: { label?: string; role?: string; accelerator?: string }[] }[]
  const file = menu.find((m) => m.label === '&File')!.submenu
  const item = (label: string) => file.find((i) => i.label === label)
  assert.equal(item('Open Folder…')?.accelerator, 'CmdOrCtrl+O')
  assert.ok(item('Open Recent'))
  assert.equal(item('Export…')?.accelerator, 'CmdOrCtrl+E')
  assert.ok(file.some((i) => i.role === 'quit'))
  const view = menu.find((m) => m.label === '&View')!.submenu
  assert.deepEqual(view.filter((i) => i.accelerator?.match(/^CmdOrCtrl\+\d$/)).map((i) => `${i.label} ${i.accelerator}`), [
    'Library CmdOrCtrl+1', 'Review CmdOrCtrl+2', 'Export CmdOrCtrl+3', 'Compare CmdOrCtrl+4',
  ])
  const help = menu.find((m) => m.role === 'help')!.submenu
  assert.deepEqual(help.map((i) => i.label).filter(Boolean), ['Keyboard Shortcuts', 'About Coilscope'])
})

test('the preload turns calls into invokes on coilscope: channels and events into subscriptions', async () => {
  const api = recorded.exposed.get('coilscope')
  recorded.invoked.length = 0
  assert.equal(await api.listSources(), 'coilscope:listSources')
  await api.pauseJob({ jobId: 3 })
  assert.deepEqual(recorded.invoked, [
    { channel: 'coilscope:listSources', input: undefined },
    { channel: 'coilscope:pauseJob', input: { jobId: 3 } },
  ])
  recorded.invokeReply = () => ({ ok: false, error: 'no job 3' })
  await assert.rejects(api.resumeJob({ jobId: 3 }), { message: 'no job 3' })
  recorded.invokeReply = (channel) => ({ ok: true, value: channel })

  const seen: unknown[] = []
  const stop = api.onJobProgress((job: unknown) => seen.push(job))
  const listeners = recorded.rendererListeners.get('coilscope:event:jobProgress')!
  for (const listener of listeners) listener({}, { id: 1 })
  stop()
  assert.equal(listeners.size, 0)
  assert.deepEqual(seen, [{ id: 1 }])
  assert.equal(recorded.exposed.get('coilscopeDesktop').pathForFile({ name: 'coils' }), '/dropped/coils')
  assert.deepEqual(sorted(recorded.exposed.keys()), ['coilscope', 'coilscopeDesktop'])
})
