// Messages between main and the inference process. Structured-clone data only (typed arrays pass
// as they are): child_process.fork runs with `serialization: 'advanced'`, Electron's
// utilityProcess clones by default.
import type { ModelManifest } from '../../src-shared/manifest.ts'
import type { ProviderChoice, ProviderDecision } from '../inference/index.ts'
import type { FileOutcome, InspectorOptions } from '../pipeline/index.ts'

export interface LoadRequest {
  readonly modelsDir: string
  readonly provider: ProviderChoice
  readonly threads?: number
  /** Merge each stage's members into one session (default true; see LoadOptions.merge). */
  readonly merge?: boolean
  /** Let idle onnxruntime pool threads spin (default false; for measurements). */
  readonly spinning?: boolean
  /** onnxruntime's memory pattern (default: off on the CPU; for measurements). */
  readonly memoryPattern?: boolean
  /** Decode the next images while the current ones are in the models (default true). */
  readonly prefetch?: boolean
  readonly inspector?: InspectorOptions
}

export interface LoadedInfo {
  readonly manifest: ModelManifest
  readonly manifestSha256: string
  readonly provider: ProviderDecision
  readonly ortVersion: string
  readonly threads: number
  /** Per stage: null when its members run merged in one session, else why not. */
  readonly unmerged?: { readonly classifier: string | null; readonly segmenter: string | null }
  /** Milliseconds checking member hashes and opening sessions, in the inference process. */
  readonly loadMs?: { readonly verify: number; readonly open: number }
}

export type ToWorker =
  | { readonly type: 'load'; readonly request: LoadRequest }
  | { readonly type: 'inspect'; readonly requestId: number; readonly paths: readonly string[] }
  /** Finish the image in hand, drop the rest of the request. */
  | { readonly type: 'stop'; readonly requestId: number }

export type FromWorker =
  | { readonly type: 'loaded'; readonly info: LoadedInfo }
  | { readonly type: 'loadFailed'; readonly message: string; readonly isUserError: boolean }
  | { readonly type: 'started'; readonly requestId: number; readonly path: string }
  | { readonly type: 'outcome'; readonly requestId: number; readonly outcome: FileOutcome }
  | { readonly type: 'done'; readonly requestId: number }

/** Both ends of a process pipe, whatever runs the process (fork or utilityProcess). */
export interface WorkerPort {
  send(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  /** Called once when the process ends, with a reason for people. */
  onExit(listener: (reason: string) => void): void
  kill(): void
}
