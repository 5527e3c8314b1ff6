// A real inference process that is killed (SIGKILL) when it takes its n-th image into the models.
import { forkWorker, type WorkerPort } from '../../src-main/worker/index.ts'

export function killingWorker(killAtStart: number): () => WorkerPort {
  let starts = 0
  return () => {
    const port = forkWorker()
    return {
      ...port,
      onMessage: (listener) =>
        port.onMessage((message) => {
          listener(message)
          if (message.type === 'started' && ++starts === killAtStart) port.kill()
        }),
    }
  }
}
