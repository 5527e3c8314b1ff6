// A set of listeners for one kind of queue event: subscribe (returns the unsubscribe) and emit.
export type Listener<T> = (value: T) => void

export class Listeners<T> {
  readonly #set = new Set<Listener<T>>()

  add(listener: Listener<T>): () => void {
    this.#set.add(listener)
    return () => this.#set.delete(listener)
  }

  emit(value: T): void {
    for (const listener of this.#set) listener(value)
  }
}
