// Public face of watch/: watched sources, fed by files as they complete.
export { DEFAULT_STABLE_MS, watchCompletedFiles } from './completedFiles.ts'
export { liveWatchOf } from './liveWatch.ts'
export { SourceWatch, type SourceWatchOptions } from './sourceWatch.ts'
export { isTemporaryName } from './temporaryName.ts'

/** The window the arrival and inspection rates are measured over. */
export const STATS_WINDOW_MS = 5 * 60_000
