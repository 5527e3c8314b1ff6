// Main's side of the inference process. Sends work, streams outcomes back, and survives the
// process dying: the images in flight (one, or a GPU batch) become failed outcomes with the reason,
// a fresh process is started with the same model set, and the rest of the work goes on.
import type { FileOutcome } from '../pipeline/index.ts'
import type { FromWorker, LoadedInfo, LoadRequest, WorkerPort } from './protocol.ts'

export class WorkerLoadError extends Error {
  readonly isUserError: boolean
  constructor(message: string, isUserError: boolean) {
    super(message)
    this.isUserError = isUserError
  }
}

type Pending = {
  requestId: number
  remaining: string[]
  /** The files in the models now: one on the CPU, a batch on a GPU. */
  inFlight: string[]
  onOutcome: (outcome: FileOutcome) => void
  resolve: () => void
}

export class InferenceClient {
  /** Restarts after crashes, for the record. */
  restarts = 0
  readonly #spawn: () => WorkerPort
  readonly #request: LoadRequest
  #port: WorkerPort | null = null
  #loaded: Promise<LoadedInfo> | null = null
  #pending: Pending | null = null
  #nextRequestId = 1
  #isClosed = false

  constructor(spawn: () => WorkerPort, request: LoadRequest) {
    this.#spawn = spawn
    this.#request = request
  }

  /** Starts the process and loads the model set; rejects with WorkerLoadError if it cannot. */
  start(): Promise<LoadedInfo> {
    this.#loaded ??= this.#launch()
    return this.#loaded
  }

  /**
   * Inspects `paths` in order, calling `onOutcome` once per path (including paths lost to a crash).
   * Resolves when every path has an outcome or after `stop()`.
   */
  async inspect(paths: readonly string[], onOutcome: (outcome: FileOutcome) => void): Promise<void> {
    await this.start()
    if (this.#pending) throw new Error('one inspect at a time')
    if (paths.length === 0) return
    await new Promise<void>((resolve) => {
      this.#pending = { requestId: this.#nextRequestId++, remaining: [...paths], inFlight: [], onOutcome, resolve }
      this.#sendPending()
    })
  }

  /** Lets the images in hand finish and drops the rest of the current inspect. */
  stop(): void {
    const pending = this.#pending
    if (!pending) return
    pending.remaining = [...pending.inFlight]
    this.#port?.send({ type: 'stop', requestId: pending.requestId })
  }

  close(): void {
    this.#isClosed = true
    this.#port?.kill()
    this.#port = null
    this.#finish()
  }

  #launch(): Promise<LoadedInfo> {
    return new Promise<LoadedInfo>((resolve, reject) => {
      const port = this.#spawn()
      this.#port = port
      let isLoaded = false
      port.onMessage((message) => {
        if (message.type === 'loaded') {
          isLoaded = true
          resolve(message.info)
        } else if (message.type === 'loadFailed') {
          reject(new WorkerLoadError(message.message, message.isUserError))
          port.kill()
        } else this.#onWorkMessage(message)
      })
      port.onExit((reason) => {
        if (this.#port === port) this.#port = null
        if (!isLoaded) reject(new WorkerLoadError(`the inference process ended before loading the models: ${reason}`, false))
        else this.#onCrash(reason)
      })
      port.send({ type: 'load', request: this.#request })
    })
  }

  #onWorkMessage(message: FromWorker): void {
    const pending = this.#pending
    if (!pending || !('requestId' in message) || message.requestId !== pending.requestId) return
    if (message.type === 'started') {
      pending.inFlight.push(message.path)
    } else if (message.type === 'outcome') {
      // Outcomes come in order: the path is at the front of both lists.
      for (const list of [pending.remaining, pending.inFlight]) {
        const index = list.indexOf(message.outcome.path)
        if (index >= 0) list.splice(index, 1)
      }
      pending.onOutcome(message.outcome)
    } else if (message.type === 'done') {
      this.#finish()
    }
  }

  #onCrash(reason: string): void {
    const pending = this.#pending
    if (this.#isClosed) return
    if (pending) {
      // The files in the models when the process died fail (which of a batch did it cannot be
      // told); files not yet started are retried.
      const lost = pending.inFlight.length > 0 ? pending.inFlight : pending.remaining.slice(0, 1)
      const what = lost.length > 1 ? `a batch of ${lost.length} images with this one` : 'this image'
      pending.remaining = pending.remaining.filter((p) => !lost.includes(p))
      pending.inFlight = []
      for (const path of lost) pending.onOutcome({ ok: false, path, error: `the inference process ended while inspecting ${what} (${reason})` })
    }
    this.restarts++
    this.#loaded = this.#launch()
    this.#loaded.then(
      () => this.#sendPending(),
      () => {
        // The set loaded before, so this is unexpected: fail what is left rather than loop.
        const rest = this.#pending
        for (const path of rest?.remaining ?? []) rest!.onOutcome({ ok: false, path, error: `the inference process could not be restarted (${reason})` })
        this.#finish()
      },
    )
  }

  #sendPending(): void {
    const pending = this.#pending
    if (!pending) return
    if (pending.remaining.length === 0) return this.#finish()
    pending.requestId = this.#nextRequestId++
    this.#port?.send({ type: 'inspect', requestId: pending.requestId, paths: pending.remaining })
  }

  #finish(): void {
    const pending = this.#pending
    this.#pending = null
    pending?.resolve()
  }
}
