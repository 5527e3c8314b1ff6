// Review's uncertainty order needs a margin per image. A library migrated or filled without them,
// or a profile just applied, would have the first Review open compute a whole run's (seconds at a
// million images). The host has them computed ahead instead, off its event loop: a worker thread
// with its own connection to the library (reviewMarginWorker.ts), which commits in short steps.
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Store } from '../store/index.ts'
import type { MarginWorkerData } from './reviewMarginWorker.ts'

/** The worker's module under plain Node (CLI, serve, tests); the Electron build passes its bundle. */
const WORKER_ENTRY = fileURLToPath(new URL('./reviewMarginWorker.ts', import.meta.url))
/** How long a stop waits for the step in hand before ending the thread (a killed step is rolled back). */
const STOP_GRACE_MS = 5000

export interface ReviewWarmup {
  /** Resolves when the worker has stopped (after `stop`, or on a failure it reported). */
  readonly done: Promise<void>
  /** Asks the worker to stop after its step in hand; resolves once it has. */
  stop(): Promise<void>
}

export function warmReview(store: Store, options: { readonly workerEntry?: string; readonly onProblem?: (message: string) => void } = {}): ReviewWarmup {
  // An in-memory library has no file a second connection could open; a read-only one takes no margins.
  if (!store.isOpen || store.isReadOnly || store.path === ':memory:') return { done: Promise.resolve(), stop: async () => undefined }
  const data: MarginWorkerData = { dbPath: store.path }
  // Not the host's own flags (an `-e` script, `--test`): the worker is a module of its own.
  const worker = new Worker(options.workerEntry ?? WORKER_ENTRY, { workerData: data, execArgv: [] })
  worker.on('message', (message: { kind: string; message?: string }) => {
    // A library that cannot take writes (read-only, full) keeps what it has; Review says so.
    if (message.kind === 'failed') options.onProblem?.(`Review's uncertainty order is not prepared in the background: ${message.message}`)
  })
  worker.on('error', (error) => options.onProblem?.(`Review's uncertainty order is not prepared in the background: ${error.message}`))
  const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    done,
    stop: async () => {
      worker.postMessage('stop')
      const grace = setTimeout(() => void worker.terminate(), STOP_GRACE_MS)
      await done
      clearTimeout(grace)
    },
  }
}
