// The queue's one inference process, kept loaded between jobs with the same model set and settings
// and replaced when a job needs others. A process that could not load is dropped, not reused.
import { InferenceClient, type LoadedInfo, type WorkerPort } from '../worker/index.ts'
import type { JobSettings } from './jobs.ts'

export class InferenceSlot {
  readonly #spawnWorker: () => WorkerPort
  #held: { key: string; client: InferenceClient } | null = null

  constructor(spawnWorker: () => WorkerPort) {
    this.#spawnWorker = spawnWorker
  }

  /** The process for these settings, loaded (started or replaced as needed). */
  async start(settings: JobSettings): Promise<{ client: InferenceClient; info: LoadedInfo }> {
    const client = this.#clientFor(settings)
    const info = await client.start().catch((error: unknown) => {
      this.close()
      throw error
    })
    return { client, info }
  }

  /** Lets the images in hand finish and drops the rest of the current pass. */
  stop(): void {
    this.#held?.client.stop()
  }

  close(): void {
    this.#held?.client.close()
    this.#held = null
  }

  #clientFor(settings: JobSettings): InferenceClient {
    const key = JSON.stringify([settings.modelsDir, settings.provider, settings.threads ?? null, settings.inspector ?? null])
    if (this.#held?.key !== key) {
      this.#held?.client.close()
      const request = { modelsDir: settings.modelsDir, provider: settings.provider, threads: settings.threads, inspector: settings.inspector }
      this.#held = { key, client: new InferenceClient(this.#spawnWorker, request) }
    }
    return this.#held.client
  }
}
