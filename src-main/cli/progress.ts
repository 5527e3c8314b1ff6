// Progress on stderr: a live bar redrawn in place on a terminal, plain periodic lines otherwise
// (logs, CI), so that redirected output stays readable.
import { formatDuration } from '../../src-shared/duration.ts'

export interface ProgressState {
  readonly done: number
  readonly total: number
  readonly errors: number
}

export class ProgressReporter {
  readonly #stream: NodeJS.WriteStream
  readonly #started = performance.now()
  readonly #isLive: boolean
  readonly #plainIntervalMs: number
  #lastDraw = 0

  /** `plainIntervalMs`: how often a plain (not live) reporter writes a line before the last. */
  constructor(stream: NodeJS.WriteStream = process.stderr, isLive = Boolean(stream.isTTY), plainIntervalMs = 5000) {
    this.#stream = stream
    this.#isLive = isLive
    this.#plainIntervalMs = plainIntervalMs
  }

  update(state: ProgressState): void {
    const now = performance.now()
    const isLast = state.done === state.total
    const interval = this.#isLive ? 100 : this.#plainIntervalMs
    if (!isLast && now - this.#lastDraw < interval) return
    // Off a terminal a line saying that nothing is done yet is noise: the first line waits for an image.
    if (!this.#isLive && !isLast && state.done === 0) return
    this.#lastDraw = now
    const line = formatProgress(state, (now - this.#started) / 1000)
    if (this.#isLive) this.#stream.write(`\r\x1b[2K${line}${isLast ? '\n' : ''}`)
    else this.#stream.write(`${line}\n`)
  }
}

/** One progress line: bar, done/total, images/s and ETA. */
export function formatProgress({ done, total, errors }: ProgressState, elapsedSeconds: number, barWidth = 28): string {
  const fraction = total === 0 ? 1 : done / total
  const filled = Math.round(fraction * barWidth)
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0
  const eta = rate > 0 ? (total - done) / rate : Number.NaN
  const errorText = errors > 0 ? `  ${errors} error${errors === 1 ? '' : 's'}` : ''
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${done}/${total}  ${rate.toFixed(1)} images/s  ETA ${formatDuration(eta)}${errorText}`
}
