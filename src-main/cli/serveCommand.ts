// `coilscope serve`: the app in a browser. Serves the built renderer, the API over a WebSocket and
// /coil/… binary data on 127.0.0.1 (another interface only when asked, with a warning), behind a
// random session token carried in the printed URL. Runs until interrupted.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError, type Command } from 'commander'
import { createAppService } from '../app/appService.ts'
import { defaultDatabasePath } from '../app/paths.ts'
import { openStore } from '../store/index.ts'
import { startWebHost } from '../web/webHost.ts'
import type { CommandResult } from './index.ts'
import { isDirectory } from './options.ts'
import { UsageError } from './usageError.ts'

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

interface ServeOptions {
  port: number
  host: string
  open: boolean
  db?: string
  modelsRoot?: string
}

export function registerServe(program: Command, result: CommandResult): void {
  program
    .command('serve')
    .description('serve the app to a browser on this machine (127.0.0.1), behind a session token')
    .option('--port <n>', 'port to listen on (0: any free port)', port, 0)
    .option('--host <address>', 'interface to listen on; anything but loopback exposes the app to the network', '127.0.0.1')
    .option('--open', 'open the URL in the default browser', false)
    .option('--db <file>', `library database (default: ${defaultDatabasePath()})`)
    .option('--models-root <dir>', 'folder of model sets, saved in the settings (default: the setting, else models/)')
    .action(async (options: ServeOptions) => {
      result.exitCode = await serve(options)
    })
}

async function serve(options: ServeOptions): Promise<number> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new UsageError(`the renderer is not built (${RENDERER_DIR}): run \`npm run build\` first`)
  if (options.modelsRoot && !isDirectory(resolve(options.modelsRoot))) throw new UsageError(`${resolve(options.modelsRoot)}: no such folder`)
  const dbPath = resolve(options.db ?? defaultDatabasePath())
  mkdirSync(dirname(dbPath), { recursive: true })
  const store = openStore(dbPath)
  const service = createAppService({ store, host: { kind: 'web', resourceBase: '/coil/' } })
  if (options.modelsRoot) service.settings.set({ modelsRoot: resolve(options.modelsRoot) })
  const host = await startWebHost({ service, rendererDir: RENDERER_DIR, host: options.host, port: options.port })
  if (!LOOPBACK.has(options.host)) {
    process.stderr.write(`coilscope: warning: listening on ${options.host}: anyone who can reach this machine and has the URL can use this library.\n`)
  }
  process.stdout.write(`Coilscope is at ${host.url}\n(library ${dbPath}; Ctrl+C to stop)\n`)
  if (options.open) openInBrowser(host.url)
  await service.resumeWatched()
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  await host.close()
  service.close()
  store.close()
  return 0
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]]
  spawn(command, args, { detached: true, stdio: 'ignore' }).on('error', () => {
    process.stderr.write(`coilscope: could not open a browser; open ${url}\n`)
  }).unref()
}

function port(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port, 0…65535')
  return n
}
