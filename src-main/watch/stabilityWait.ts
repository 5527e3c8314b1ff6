// Holds back a path until it has been quiet: every event on it restarts its timer, and when the
// timer runs out one stat decides. A file whose mtime is already `stableMs` old (or whose size and
// mtime match the previous look) is complete; otherwise it waits another round. A camera that
// writes an image in chunks keeps restarting the timer, so the image is never read half-written.
import { stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'

export interface StabilityHandlers {
  readonly onStable: (path: string, stats: Stats) => void
  readonly onDirectory: (path: string) => void
  readonly onError: (error: Error) => void
}

interface Pending {
  timer: NodeJS.Timeout
  /** Size and mtime seen at the previous look, when one was needed. */
  seen: string | null
  /** Events so far: one that comes while a stat runs makes that stat's answer stale. */
  touches: number
}

const signature = (stats: Stats) => `${stats.size}:${stats.mtimeMs}`

export class StabilityWait {
  readonly #stableMs: number
  readonly #handlers: StabilityHandlers
  readonly #pending = new Map<string, Pending>()
  #closed = false

  constructor(stableMs: number, handlers: StabilityHandlers) {
    this.#stableMs = stableMs
    this.#handlers = handlers
  }

  /** Something happened to `path`: (re)start its wait. */
  touch(path: string): void {
    if (this.#closed) return
    const pending = this.#pending.get(path)
    if (pending) {
      pending.seen = null
      pending.touches++
      pending.timer.refresh()
      return
    }
    const entry: Pending = { timer: setTimeout(() => void this.#look(path, entry), this.#stableMs), seen: null, touches: 0 }
    this.#pending.set(path, entry)
  }

  /** Stops waiting for `path` and everything under it (it was deleted). */
  forget(path: string, isUnder: (candidate: string) => boolean): void {
    for (const [candidate, pending] of this.#pending) {
      if (candidate !== path && !isUnder(candidate)) continue
      clearTimeout(pending.timer)
      this.#pending.delete(candidate)
    }
  }

  close(): void {
    this.#closed = true
    for (const pending of this.#pending.values()) clearTimeout(pending.timer)
    this.#pending.clear()
  }

  async #look(path: string, entry: Pending): Promise<void> {
    const touches = entry.touches
    let stats: Stats
    try {
      stats = await stat(path)
    } catch (error) {
      if (this.#pending.get(path) === entry && entry.touches === touches) this.#pending.delete(path)
      // Gone before it settled (a temporary file, a quick delete): its delete event says the rest.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !this.#closed) this.#handlers.onError(error as Error)
      return
    }
    // Touched again (or forgotten, or closed) while the stat ran: that newer wait decides.
    if (this.#closed || this.#pending.get(path) !== entry || entry.touches !== touches) return
    if (stats.isDirectory()) {
      this.#pending.delete(path)
      this.#handlers.onDirectory(path)
      return
    }
    if (!stats.isFile()) {
      this.#pending.delete(path)
      return
    }
    const quietSince = Date.now() - this.#stableMs
    if (stats.mtimeMs <= quietSince || entry.seen === signature(stats)) {
      this.#pending.delete(path)
      this.#handlers.onStable(path, stats)
      return
    }
    // Modified within the wait (or a clock ahead of ours, as on some network shares): look once more.
    entry.seen = signature(stats)
    entry.timer.refresh()
  }
}
