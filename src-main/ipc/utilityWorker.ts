// The inference process under Electron: the same worker entry the CLI forks, started with
// utilityProcess so it is a proper child of the app (not a second Electron) and a crash in
// onnxruntime cannot take the window down.
import type { ForkOptions, UtilityProcess } from 'electron'
import type { FromWorker, ToWorker, WorkerPort } from '../worker/protocol.ts'

type Fork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess

export function utilityWorkerPort(fork: Fork, entry: string): WorkerPort {
  const child = fork(entry, [], { serviceName: 'Coilscope inference', stdio: 'inherit' })
  // Messages wait for the process to be up.
  let queued: ToWorker[] | null = []
  child.once('spawn', () => {
    for (const message of queued ?? []) child.postMessage(message)
    queued = null
  })
  return {
    send: (message) => (queued ? queued.push(message) : child.postMessage(message)),
    onMessage: (listener) => child.on('message', (message: FromWorker) => listener(message)),
    onExit: (listener) => child.once('exit', (code) => listener(`exited with code ${code}`)),
    kill: () => {
      child.kill()
    },
  }
}
