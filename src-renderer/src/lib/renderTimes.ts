// Overlay re-render times (threshold + paint), and when each image was first painted whole (its
// pixels and its overlay), kept for the in-browser benchmarks.

const times: number[] = []

export function recordRenderTime(ms: number): void {
  times.push(ms)
  if (times.length > 500) times.shift()
}

/** The recorded times, oldest first (the end-to-end benchmark reads them). */
export function renderTimes(): readonly number[] {
  return times
}

const firstPaints = new Map<number, number>()

/** The first time an image was on screen with its overlay (performance.now()). */
export function recordPaint(imageId: number): void {
  if (!firstPaints.has(imageId)) firstPaints.set(imageId, performance.now())
  if (firstPaints.size > 500) firstPaints.delete(firstPaints.keys().next().value!)
}

/** The first-paint times by image id; the benchmark clears them between rounds. */
export function paintTimes(): Map<number, number> {
  return firstPaints
}
