// Starts the inference process with child_process.fork (plain Node: CLI, web host, tests).
// The Electron app starts the same module with utilityProcess instead (see main.ts).
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromWorker, WorkerPort } from './protocol.ts'

const WORKER_ENTRY = fileURLToPath(new URL('./inferenceWorker.ts', import.meta.url))

export function forkWorker(): WorkerPort {
  const child = fork(WORKER_ENTRY, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return {
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as FromWorker)),
    onExit: (listener) =>
      child.once('exit', (code, signal) => listener(signal ? `killed by ${signal}` : `exited with code ${code}`)),
    kill: () => {
      child.kill('SIGKILL')
    },
  }
}
