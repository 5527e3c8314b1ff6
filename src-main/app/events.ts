// The app's events, typed by the contract: services emit, front doors (IPC, the web socket) forward.
import type { ApiEvent, ApiEventPayloads } from '../../src-shared/api.ts'

type AnyListener = <E extends ApiEvent>(event: E, payload: ApiEventPayloads[E]) => void

export class EventHub {
  readonly #listeners = new Set<AnyListener>()

  emit<E extends ApiEvent>(event: E, payload: ApiEventPayloads[E]): void {
    for (const listener of this.#listeners) listener(event, payload)
  }

  /** Every event, for forwarding; returns the unsubscribe function. */
  onAny(listener: AnyListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
