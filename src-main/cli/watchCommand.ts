// `coilscope watch <folder>`: inspects images as they arrive in a folder (and its coil
// sub-folders) until SIGINT or SIGTERM, then finishes the image in hand and exits. Runs the same
// job queue, store and inference process as the app; a reviewer can open the same database in the
// app or `coilscope serve` meanwhile (WAL: readers never wait; each write is a short transaction
// and a writer that finds the file busy waits up to the busy timeout). One line per finished image
// on stdout, a status line on stderr every --status-every seconds.
import { mkdirSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import type { Command } from 'commander'
import { watchHealth } from '../../src-shared/watchHealth.ts'
import { defaultDatabasePath } from '../app/paths.ts'
import { PROVIDER_CHOICES, type ProviderChoice } from '../inference/index.ts'
import { JobQueue, type JobSettings } from '../queue/index.ts'
import { listProfiles } from '../review/profiles.ts'
import { openStore, StoreOpenError, type Store } from '../store/index.ts'
import { liveWatchOf, SourceWatch, STATS_WINDOW_MS } from '../watch/index.ts'
import type { CommandResult } from './commandResult.ts'
import { choice, DEFAULT_MODELS_DIR, isDirectory, positiveInteger } from './options.ts'
import { untilStopped } from './untilStopped.ts'
import { UsageError } from './usageError.ts'
import { formatImageLine, formatRejectedLine, formatStatusLine } from './watchLines.ts'

interface WatchOptions {
  db?: string
  models: string
  profile?: string
  provider: ProviderChoice
  threads?: number
  statusEvery: number
  stableMs: number
}

export function registerWatch(program: Command, result: CommandResult): void {
  program
    .command('watch')
    .description('inspect images as they arrive in a folder (and its sub-folders) until interrupted; one line per image')
    .argument('<folder>', 'folder a camera or line system writes images into')
    .option('--db <file>', `library database (default: ${defaultDatabasePath()})`)
    .option('--models <dir>', 'model set folder', DEFAULT_MODELS_DIR)
    .option('--profile <name>', "a threshold profile saved in the database (default: the model set's own)")
    .option('--provider <provider>', `execution provider: ${PROVIDER_CHOICES.join(' | ')}`, choice(PROVIDER_CHOICES), 'auto')
    .option('--threads <n>', 'threads per model session (default: all cores)', positiveInteger)
    .option('--status-every <seconds>', 'seconds between status lines on stderr', positiveInteger, 30)
    .option('--stable-ms <ms>', 'a file counts as complete once its size has not changed for this long', positiveInteger, 1000)
    .action(async (folder: string, options: WatchOptions) => {
      result.exitCode = await watchFolder(resolve(folder), options)
    })
}

async function watchFolder(folder: string, options: WatchOptions): Promise<number> {
  if (!isDirectory(folder)) throw new UsageError(`${folder}: no such folder`)
  const models = resolve(options.models)
  if (!isDirectory(models)) throw new UsageError(`${models}: no such model set folder`)
  const dbPath = resolve(options.db ?? defaultDatabasePath())
  mkdirSync(dirname(dbPath), { recursive: true })
  const store = open(dbPath)
  const queue = new JobQueue(store)
  let watch: SourceWatch | null = null
  try {
    const held = liveWatchOf(store, folder)
    if (held) throw new UsageError(`${folder} is already watched by process ${held.owner?.pid} on ${held.owner?.host} (job ${held.id})`)
    const settings: JobSettings = { folder, modelsDir: models, provider: options.provider, threads: options.threads, inspector: profileOptions(store, options.profile) }
    let failure: string | null = null
    queue.onImageFinished((event) => process.stdout.write(`${formatImageLine(event, relative(folder, event.path).split('\\').join('/'), new Date())}\n`))
    queue.onJobProgress((job) => {
      if (job.id === watch?.jobId && job.state === 'failed') failure = job.message
    })
    watch = new SourceWatch(store, queue, settings, {
      stableMs: options.stableMs,
      onError: (error) => process.stderr.write(`coilscope: ${error.message}\n`),
      onRejected: (relativePath, reason) => process.stdout.write(`${formatRejectedLine(relativePath, reason, new Date())}\n`),
    })
    const job = await watch.start()
    process.stderr.write(`coilscope: watching ${folder} (job ${job.id}, library ${dbPath}); Ctrl+C to stop\n`)
    const status = () => {
      const current = queue.get(job.id)!
      const now = Date.now()
      const since = Math.max(now - STATS_WINDOW_MS, watch!.startedAtMs)
      const counts = store.watch.counts(watch!.sourceId, current.runId, since)
      process.stderr.write(`${formatStatusLine(folder, watchHealth(counts, Math.max(1000, now - since), now), current.progress.done)}\n`)
    }
    const timer = setInterval(status, options.statusEvery * 1000)
    const stopped = await untilStopped(() => failure !== null)
    clearInterval(timer)
    if (failure !== null) throw new Error(`the watch job failed: ${failure}`)
    process.stderr.write(`coilscope: ${stopped}: finishing the image in hand\n`)
    await watch.stop()
    await queue.idle()
    status()
    return 0
  } finally {
    await watch?.detach()
    queue.close()
    store.close()
  }
}


function profileOptions(store: Store, name: string | undefined): JobSettings['inspector'] {
  if (name === undefined) return undefined
  const profile = listProfiles(store).find((p) => p.name === name)
  if (!profile) throw new UsageError(`no threshold profile named "${name}" in ${store.path} (saved ones: ${listProfiles(store).map((p) => p.name).join(', ') || 'none'})`)
  return { profile: { upper: profile.upper, lower: profile.lower, minAreaModelPx: profile.minAreaModelPx }, ...(profile.gate === null ? {} : { gateThreshold: profile.gate }) }
}

function open(path: string): Store {
  try {
    return openStore(path)
  } catch (error) {
    throw new UsageError(error instanceof StoreOpenError ? error.message : `cannot open database ${path}: ${(error as Error).message}`)
  }
}
