// Overlay re-render times (threshold + paint), kept for the in-browser benchmark and the status bar.

const times: number[] = []

export function recordRenderTime(ms: number): void {
  times.push(ms)
  if (times.length > 500) times.shift()
}

/** The recorded times, oldest first (the end-to-end benchmark reads them). */
export function renderTimes(): readonly number[] {
  return times
}
