// Entry of the inference process: owns the onnxruntime sessions and sharp, never the database.
// Runs under child_process.fork (process.send) or as an Electron utilityProcess (process.parentPort).
import { loadModelSet, ModelSetError, ORT_VERSION, ProviderError, type LoadedModelSet } from '../inference/index.ts'
import { inspectFiles, Inspector } from '../pipeline/index.ts'
import type { FromWorker, ToWorker } from './protocol.ts'

interface ParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
const post = (message: FromWorker): void => {
  if (parentPort) parentPort.postMessage(message)
  else process.send!(message)
}

let set: LoadedModelSet | null = null
let inspector: Inspector | null = null
let prefetch = true
const stopped = new Set<number>()
// Requests run one after another; a stop may arrive while one is running.
let queue: Promise<void> = Promise.resolve()

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'stop') {
    stopped.add(message.requestId)
    return
  }
  if (message.type === 'load') {
    queue = queue.then(() => load(message.request))
    return
  }
  queue = queue.then(() => inspect(message.requestId, message.paths))
}

async function load(request: Extract<ToWorker, { type: 'load' }>['request']): Promise<void> {
  try {
    await set?.release()
    set = await loadModelSet(request.modelsDir, { provider: request.provider, threads: request.threads, merge: request.merge, spinning: request.spinning, memoryPattern: request.memoryPattern })
    prefetch = request.prefetch ?? true
    inspector = new Inspector(set, request.inspector)
    post({ type: 'loaded', info: { manifest: set.manifest, manifestSha256: set.manifestSha256, provider: set.provider, ortVersion: ORT_VERSION, threads: set.threads, unmerged: set.unmerged, loadMs: set.loadMs } })
  } catch (error) {
    const isUserError = error instanceof ModelSetError || error instanceof ProviderError
    post({ type: 'loadFailed', message: (error as Error).message, isUserError })
  }
}

async function inspect(requestId: number, paths: readonly string[]): Promise<void> {
  if (!inspector) throw new Error('inspect before load')
  for await (const outcome of inspectFiles(inspector, paths, (path) => post({ type: 'started', requestId, path }), { prefetch })) {
    post({ type: 'outcome', requestId, outcome })
    if (stopped.has(requestId)) break
  }
  stopped.delete(requestId)
  post({ type: 'done', requestId })
}

const onMessage = (message: ToWorker) => void handle(message)
if (parentPort) parentPort.on('message', (event) => onMessage(event.data as ToWorker))
else process.on('message', (message) => onMessage(message as ToWorker))
// A fork whose parent is gone has nothing left to do.
process.on('disconnect', () => process.exit(0))
