// Public face of worker/: the inference process and main's client for it.
export { InferenceClient, WorkerLoadError } from './inferenceClient.ts'
export { forkWorker } from './forkWorker.ts'
export type { LoadedInfo, LoadRequest, WorkerPort } from './protocol.ts'
