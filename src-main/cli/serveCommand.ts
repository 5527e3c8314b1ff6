// `coilscope serve`: the app in a browser. Serves the built renderer, the API over a WebSocket and
// /coil/… binary data on 127.0.0.1 (another interface only when asked, with a warning), behind a
// random session token carried in the printed URL. Runs until SIGINT or SIGTERM, then finishes the
// image in hand and exits; jobs not finished are left paused, to resume.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { createAppService } from '../app/appService.ts'
import { defaultDatabasePath } from '../app/paths.ts'
import { openStore, type Store } from '../store/index.ts'
import { isWritableLibrary, openReadOnlyCopy } from '../store/readOnlyCopy.ts'
import { WebExportFolder } from '../web/exportFolder.ts'
import { coilBase, newToken } from '../web/sessionToken.ts'
import { startWebHost } from '../web/webHost.ts'
import type { CommandResult } from './commandResult.ts'
import { isDirectory } from './options.ts'
import { untilStopped } from './untilStopped.ts'
import { UsageError } from './usageError.ts'

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

interface ServeOptions {
  port: number
  host: string
  open: boolean
  db?: string
  modelsRoot?: string
  token?: string
  rendererDir?: string
}

export function registerServe(program: Command, result: CommandResult): void {
  program
    .command('serve')
    .description('serve the app to a browser on this machine (127.0.0.1), behind a session token')
    .option('--port <n>', 'port to listen on (0: any free port)', port, 0)
    .option('--host <address>', 'interface to listen on; anything but loopback exposes the app to the network', '127.0.0.1')
    .option('--open', 'open the URL in the default browser', false)
    .option('--db <file>', `library database (default: ${defaultDatabasePath()})`)
    .option('--token <token>', 'session token (default: a new random one); a fixed one lets open pages reconnect after a restart')
    // Hidden: the end-to-end tests serve their own build of the renderer (out/renderer-e2e, with test hooks).
    .addOption(new Option('--renderer-dir <dir>', 'serve this build of the renderer instead of out/renderer').hideHelp())
    .option('--models-root <dir>', 'folder of model sets, saved in the settings (default: the setting, else models/)')
    .action(async (options: ServeOptions) => {
      result.exitCode = await serve(options)
    })
}

async function serve(options: ServeOptions): Promise<number> {
  const rendererDir = options.rendererDir ? resolve(options.rendererDir) : RENDERER_DIR
  if (!existsSync(join(rendererDir, 'index.html'))) throw new UsageError(`the renderer is not built (${rendererDir}): run \`npm run build\` first`)
  if (options.modelsRoot && !isDirectory(resolve(options.modelsRoot))) throw new UsageError(`${resolve(options.modelsRoot)}: no such folder`)
  if (options.token !== undefined && !/^[\w-]{16,}$/.test(options.token)) throw new UsageError('--token: at least 16 letters, digits, - or _')
  const dbPath = resolve(options.db ?? defaultDatabasePath())
  const library = openLibrary(dbPath)
  const { store } = library
  const token = options.token ?? newToken()
  const exportFolder = new WebExportFolder(library.exportsDir, `${coilBase(token)}export/`)
  const service = createAppService({ store, host: { kind: 'web', resourceBase: coilBase(token), exportDestination: exportFolder } })
  if (options.modelsRoot && library.isReadOnly) process.stderr.write('coilscope: --models-root is not saved: the library is read-only\n')
  else if (options.modelsRoot) service.settings.set({ modelsRoot: resolve(options.modelsRoot) })
  const onSocketError = (message: string) => process.stderr.write(`coilscope: ${message}\n`)
  const host = await startWebHost({ service, rendererDir, host: options.host, port: options.port, token, onSocketError, exportFolder })
  if (!LOOPBACK.has(options.host)) {
    process.stderr.write(`coilscope: warning: listening on ${options.host}: anyone who can reach this machine and has the URL can use this library.\n`)
  }
  process.stdout.write(`Coilscope is at ${host.url}\n(library ${dbPath}; Ctrl+C to stop)\n`)
  if (options.open) openInBrowser(host.oneTimeUrl(), host.url)
  await service.resumeWatched()
  service.warmReview()
  const signal = await untilStopped()
  process.stderr.write(`coilscope: ${signal}: finishing the image in hand\n`)
  await host.close()
  await service.shutdown()
  library.close()
  return 0
}


/**
 * The library, and where the browser's exports go: beside the database, or — for a library that
 * cannot be written where it lies — a read-only copy with exports in a temporary folder.
 */
function openLibrary(dbPath: string): { store: Store; exportsDir: string; isReadOnly: boolean; close(): void } {
  if (isWritableLibrary(dbPath)) {
    mkdirSync(dirname(dbPath), { recursive: true })
    const store = openStore(dbPath)
    return { store, exportsDir: join(dirname(dbPath), 'exports'), isReadOnly: false, close: () => store.close() }
  }
  const copy = openReadOnlyCopy(dbPath)
  const exportsDir = mkdtempSync(join(tmpdir(), 'coilscope-exports-'))
  process.stderr.write(
    `coilscope: ${dbPath} cannot be written here (a read-only mount or no permission): serving a read-only copy ` +
      `(${(copy.bytes / 1e6).toFixed(1)} MB). Reviews, edits and runs cannot be saved; exports are downloaded from ${exportsDir} (removed on exit).\n`,
  )
  const close = () => {
    copy.close()
    rmSync(exportsDir, { recursive: true, force: true })
  }
  return { store: copy.store, exportsDir, isReadOnly: true, close }
}

/** Opens a one-time URL (a command line is visible to every local user; the token must not be). */
function openInBrowser(url: string, printedUrl: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]]
  spawn(command, args, { detached: true, stdio: 'ignore' }).on('error', () => {
    process.stderr.write(`coilscope: could not open a browser; open ${printedUrl}\n`)
  }).unref()
}

function port(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port, 0…65535')
  return n
}
