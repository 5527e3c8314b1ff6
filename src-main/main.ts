// Electron composition root: the store, the app service (with inference in a utilityProcess), the
// app:// and coil:// protocols, one IPC handler per API method, the window and the menu.
// Only this file, ipc/ and the preload import `electron`; everything else runs under plain Node.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, utilityProcess } from 'electron'
import { createAppService, type AppService } from './app/appService.ts'
import { defaultDatabasePath, REPO_MODELS_ROOT } from './app/paths.ts'
import { forwardEvents, registerApiHandlers } from './ipc/handlers.ts'
import { menuTemplate } from './ipc/menu.ts'
import { printPdfWithElectron } from './ipc/printPdf.ts'
import { handleProtocols, PRIVILEGED_SCHEMES, RENDERER_ORIGIN, RENDERER_URL } from './ipc/protocols.ts'
import { utilityWorkerPort } from './ipc/utilityWorker.ts'
import { hardenContents, rememberBounds, windowPlacement } from './ipc/window.ts'
import { openStore, type Store } from './store/index.ts'

const BUILD_DIR = import.meta.dirname // out/main: the worker beside it, preload and renderer next door
const WORKER_ENTRY = join(BUILD_DIR, 'inferenceWorker.js')
const MARGIN_WORKER_ENTRY = join(BUILD_DIR, 'reviewMarginWorker.js')
const PRELOAD = join(BUILD_DIR, '../preload/preload.cjs')
const RENDERER_DIR = join(BUILD_DIR, '../renderer')

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES)
app.on('web-contents-created', (_event, contents) => hardenContents(contents))

/** Resolves once the window is up (tests wait on it). */
export const started: Promise<void> = app.requestSingleInstanceLock() ? app.whenReady().then(start) : quitAsSecondInstance()

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  const store = openLibrary()
  if (!store) return
  let window: BrowserWindow | null = null
  const service = createAppService({
    store,
    host: {
      kind: 'electron',
      resourceBase: 'coil://',
      printPdf: printPdfWithElectron,
      pickFolder: async () => {
        const options = { title: 'Open a folder of coil images', properties: ['openDirectory' as const] }
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
        return result.canceled ? null : (result.filePaths[0] ?? null)
      },
    },
    spawnWorker: () => utilityWorkerPort(utilityProcess.fork, WORKER_ENTRY),
    marginWorkerEntry: MARGIN_WORKER_ENTRY,
    defaultModelsRoot: app.isPackaged ? join(process.resourcesPath, 'models') : REPO_MODELS_ROOT,
  })
  handleProtocols(protocol, RENDERER_DIR, service.resources)
  registerApiHandlers(ipcMain, service.methods, (event) => event.senderFrame?.url.startsWith(`${RENDERER_ORIGIN}/`) ?? false)

  const settings = service.settings.get()
  window = new BrowserWindow({
    ...windowPlacement(settings.windowBounds, screen.getAllDisplays().map((d) => d.workArea)),
    webPreferences: {
      preload: PRELOAD, // eng-disable PRELOAD_JS_CHECK (reviewed: it exposes the contract's functions only; test/app/electronShell.test.ts)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  })
  if (settings.windowBounds?.isMaximized) window.maximize()
  window.once('ready-to-show', () => window?.show())
  forwardEvents(service.events, window.webContents)
  void service.resumeWatched()
  service.warmReview()
  rememberBounds(window, (windowBounds) => service.settings.set({ windowBounds }))
  installMenu(service, window)
  service.events.onAny((event) => {
    if (event === 'sourcesChanged' && window) installMenu(service, window) // Open Recent follows
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    service.close()
    store.close()
  })
  await window.loadURL(RENDERER_URL)
}

function openLibrary(): Store | null {
  const path = defaultDatabasePath()
  try {
    mkdirSync(dirname(path), { recursive: true })
    return openStore(path)
  } catch (error) {
    dialog.showErrorBox('Coilscope cannot open its library', `${path}\n\n${(error as Error).message}`)
    app.quit()
    return null
  }
}

function installMenu(service: AppService, window: BrowserWindow): void {
  const template = menuTemplate(process.platform, service.settings.get().recentFolders, {
    request: (command) => service.events.emit('commandRequested', command),
    clearRecent: () => {
      service.settings.set({ recentFolders: [] })
      installMenu(service, window)
    },
    showAbout: () =>
      void dialog.showMessageBox(window, {
        title: 'About Coilscope',
        message: `Coilscope ${app.getVersion()}`,
        detail: `Inspection workstation for steel strip.\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
      }),
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

function quitAsSecondInstance(): Promise<void> {
  app.quit()
  return Promise.resolve()
}
