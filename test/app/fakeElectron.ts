// A stand-in for the `electron` module, so main.ts, ipc/ and the preload load under plain Node
// (the real module would try to download Electron's binary). It records what the app asks of
// Electron; tests read `recorded`. Loaded through useFakeElectron(), never imported directly by app code.
// Where it matters it behaves as Electron does: loadURL goes through the registered protocol
// handlers with a real Request (then fetches the page's scripts and styles the same way), IPC
// handlers get the sending frame's URL, and utilityProcess.fork starts a real child process.
import { fork as forkChild } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

type Handler = (...args: any[]) => any

export const recorded = {
  privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  protocolHandlers: new Map<string, Handler>(),
  ipcHandlers: new Map<string, Handler>(),
  appListeners: new Map<string, Handler[]>(),
  windows: [] as FakeBrowserWindow[],
  menuTemplate: null as unknown,
  permissionRequestHandler: null as Handler | null,
  permissionCheckHandler: null as Handler | null,
  exposed: new Map<string, any>(),
  invoked: [] as { channel: string; input: unknown }[],
  rendererListeners: new Map<string, Set<Handler>>(),
  forks: [] as { modulePath: string; options: unknown }[],
  /** What ipcRenderer.invoke answers. */
  invokeReply: (channel: string, _input: unknown): unknown => ({ ok: true, value: channel }),
}

/** Routes every import of the electron module to this one. Call before importing app code. */
export function useFakeElectron(): void {
  const url = import.meta.url
  registerHooks({
    resolve: (specifier, context, next) => (specifier === 'electron' ? { url, shortCircuit: true } : next(specifier, context)),
  })
}

/** One response of a protocol handler, as the page would receive it. */
export interface Fetched {
  readonly url: string
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: Buffer
}

/** What Chromium does with a URL of a custom scheme: hands a Request to the handler of that scheme. */
export async function fetchThroughProtocol(url: string): Promise<Fetched> {
  const scheme = new URL(url).protocol.slice(0, -1)
  if (scheme === 'data') return fromResponse(url, await fetch(url)) // Chromium's own
  const handler = recorded.protocolHandlers.get(scheme)
  if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${url})`)
  return fromResponse(url, await handler(new Request(url)))
}

async function fromResponse(url: string, response: Response): Promise<Fetched> {
  return { url, status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) }
}

/** The scripts and style sheets a page names, as absolute URLs. */
function subresources(html: string, base: string): string[] {
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1])
  return refs.map((ref) => new URL(ref, base).href)
}

export class FakeWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = []
  windowOpenHandler: Handler | null = null
  /** The page and its subresources, as loaded by loadURL. */
  document: Fetched | null = null
  assets: Fetched[] = []
  url = ''
  /** What ipcRenderer.invoke from this page does: the handler sees the page's frame URL. */
  async invoke(channel: string, input?: unknown): Promise<any> {
    const handler = recorded.ipcHandlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return handler({ sender: this, senderFrame: { url: this.url } }, input)
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler
  }
  isDestroyed(): boolean {
    return false
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly options: any
  readonly webContents = new FakeWebContents()
  loadedUrl: string | null = null
  constructor(options: any) {
    super()
    this.options = options
    recorded.windows.push(this)
  }
  /** Resolves once the page and its scripts and styles went through the protocol handlers. */
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    const contents = this.webContents
    contents.url = url
    contents.document = await fetchThroughProtocol(url)
    const isHtml = contents.document.headers['content-type']?.startsWith('text/html')
    contents.assets = isHtml ? await Promise.all(subresources(contents.document.body.toString('utf8'), url).map(fetchThroughProtocol)) : []
    this.emit('ready-to-show')
  }
  show(): void {}
  maximize(): void {}
  isDestroyed(): boolean {
    return false
  }
  isMaximized(): boolean {
    return false
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1400, height: 900 }
  }
}

export const BrowserWindow = FakeBrowserWindow

export const app = {
  isPackaged: false,
  on(event: string, listener: Handler) {
    recorded.appListeners.set(event, [...(recorded.appListeners.get(event) ?? []), listener])
    return app
  },
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  quit: () => undefined,
  getVersion: () => '0.0.0-test',
}

export const protocol = {
  registerSchemesAsPrivileged: (schemes: typeof recorded.privilegedSchemes) => recorded.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: Handler) => recorded.protocolHandlers.set(scheme, handler),
}

export const ipcMain = {
  handle: (channel: string, handler: Handler) => recorded.ipcHandlers.set(channel, handler),
}

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: Handler) => (recorded.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Handler) => (recorded.permissionCheckHandler = handler),
  },
}

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
}

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showErrorBox: (title: string, content: string) => {
    throw new Error(`${title}: ${content}`)
  },
  showMessageBox: async () => ({ response: 0 }),
}

export const Menu = {
  buildFromTemplate: (template: unknown) => template,
  setApplicationMenu: (menu: unknown) => (recorded.menuTemplate = menu),
}

const PARENT_PORT = fileURLToPath(new URL('./utilityParentPort.ts', import.meta.url))

/** A real child process that sees `process.parentPort`, as a utility process does. */
export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: unknown = {}) => {
    recorded.forks.push({ modulePath, options })
    const child = forkChild(modulePath, args, { serialization: 'advanced', execArgv: ['--import', PARENT_PORT], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const proc = Object.assign(new EventEmitter(), {
      pid: undefined as number | undefined,
      postMessage: (message: unknown) => child.send(message as never),
      kill: () => child.kill(),
    })
    child.once('spawn', () => {
      proc.pid = child.pid
      proc.emit('spawn')
    })
    child.on('message', (message) => proc.emit('message', message))
    child.once('exit', (code) => proc.emit('exit', code ?? 1))
    return proc
  },
}

export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => recorded.exposed.set(key, api),
}

export const ipcRenderer = {
  invoke: async (channel: string, input: unknown) => {
    recorded.invoked.push({ channel, input })
    return recorded.invokeReply(channel, input)
  },
  on: (channel: string, listener: Handler) => {
    recorded.rendererListeners.set(channel, new Set([...(recorded.rendererListeners.get(channel) ?? []), listener]))
  },
  removeListener: (channel: string, listener: Handler) => recorded.rendererListeners.get(channel)?.delete(listener),
}

export const webUtils = {
  getPathForFile: (file: { name: string }) => `/dropped/${file.name}`,
}

export default { app, BrowserWindow, protocol, ipcMain, session, screen, dialog, Menu, utilityProcess, contextBridge, ipcRenderer, webUtils }
