// Files that appear in a folder (and its sub-folders: a folder per coil), reported once complete.
// chokidar does the watching: it normalises the platforms' events (inotify, FSEvents, Windows),
// follows new sub-folders, and its awaitWriteFinish holds a file back until its size has stopped
// changing for `stableMs` — a camera that writes an image in chunks over seconds is never read
// half-written. Temporary names (.part, .tmp, dot-files) are ignored; their rename is the arrival.
// With ignoreInitial off, the files already there are reported too: that is the catch-up after a restart.
import { relative, sep } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import { isTemporaryName } from './temporaryName.ts'

export interface CompletedFilesOptions {
  /** How long a file's size must stay unchanged before it counts as complete. */
  readonly stableMs?: number
  readonly onComplete: (relativePath: string, absolutePath: string) => void
  readonly onRemoved: (relativePath: string) => void
  readonly onError: (error: Error) => void
  /** Folders (absolute) never watched, such as the library's export folder. */
  readonly exclude?: readonly string[]
}

export const DEFAULT_STABLE_MS = 1000
/** Coil sub-folders, and one level more for lines that split by date. */
const MAX_DEPTH = 3

export interface CompletedFiles {
  /** Resolves once the files already present have been listed (not yet all reported complete). */
  readonly ready: Promise<void>
  close(): Promise<void>
}

export function watchCompletedFiles(folder: string, options: CompletedFilesOptions): CompletedFiles {
  const stableMs = options.stableMs ?? DEFAULT_STABLE_MS
  const excluded = options.exclude ?? []
  const watcher: FSWatcher = watch(folder, {
    ignoreInitial: false,
    depth: MAX_DEPTH,
    ignored: (path) => path !== folder && (isTemporaryName(path) || excluded.some((dir) => path === dir || path.startsWith(dir + sep))),
    awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: Math.min(100, Math.max(10, stableMs / 5)) },
  })
  const relativeOf = (path: string) => relative(folder, path).split(sep).join('/')
  watcher.on('add', (path) => options.onComplete(relativeOf(path), path))
  watcher.on('change', (path) => options.onComplete(relativeOf(path), path))
  watcher.on('unlink', (path) => options.onRemoved(relativeOf(path)))
  watcher.on('error', (error) => options.onError(error as Error))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return { ready, close: () => watcher.close() }
}
