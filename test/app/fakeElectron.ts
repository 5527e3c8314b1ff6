// A stand-in for the `electron` module, so main.ts, ipc/ and the preload load under plain Node
// (the real module would try to download Electron's binary). It records what the app asks of
// Electron; tests read `recorded`. Loaded through useFakeElectron(), never imported directly by app code.
import { EventEmitter } from 'node:events'
import { registerHooks } from 'node:module'

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

export class FakeWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = []
  windowOpenHandler: Handler | null = null
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
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url
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

export const utilityProcess = {
  fork: (modulePath: string, _args: string[], options: unknown) => {
    recorded.forks.push({ modulePath, options })
    return Object.assign(new EventEmitter(), { postMessage: () => undefined, kill: () => true })
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
