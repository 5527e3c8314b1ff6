// Files that appear in a folder (and its sub-folders: a folder per coil), reported once complete.
// @parcel/watcher does the watching: native events (inotify, FSEvents, ReadDirectoryChangesW),
// batched in its own thread, and no re-reading of folders — a folder that holds a shift's images
// costs nothing while it fills. A file is held back until it has been quiet for `stableMs` (see
// stabilityWait.ts), so an image written in chunks over seconds is never read half-written.
// Temporary names (.part, .tmp, dot-files) are ignored; their rename is the arrival. The files
// already there are listed after subscribing and reported too: that is the catch-up after a restart.
import type { Dirent, Stats } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { subscribe, type AsyncSubscription, type Event } from '@parcel/watcher'
import { StabilityWait } from './stabilityWait.ts'
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
/** Coil sub-folders, and one level more for lines that split by date: files up to 3 folders down. */
const MAX_DEPTH = 3

export interface CompletedFiles {
  /** Resolves once the files already present have been listed (not yet all reported complete). */
  readonly ready: Promise<void>
  close(): Promise<void>
}

export function watchCompletedFiles(folder: string, options: CompletedFilesOptions): CompletedFiles {
  const root = resolve(folder)
  const excluded = (options.exclude ?? []).map((dir) => resolve(dir))
  let closed = false
  /** Files reported complete, with their size and mtime then: a replacement differs; only these are reported removed. */
  const known = new Map<string, string>()
  /** Folders already listed: an event on one of them is not a reason to list it again. */
  const listed = new Set<string>()
  /** Extra subscriptions for folders that arrived with sub-folders in them (see `adopt`). */
  const extras = new Map<string, Promise<AsyncSubscription | null>>()

  const relativeOf = (path: string) => relative(root, path).split(sep).join('/')
  const isUnder = (dir: string) => (path: string) => path.startsWith(dir + sep)
  /** Folders between the watched folder and `path`. */
  const foldersAbove = (path: string) => (path === root ? -1 : relativeOf(path).split('/').length - 1)
  const ignored = (path: string) =>
    path !== root && (foldersAbove(path) > MAX_DEPTH || relativeOf(path).split('/').some(isTemporaryName) || excluded.some((dir) => path === dir || isUnder(dir)(path)))
  const report = (error: unknown) => {
    if (!closed) options.onError(error instanceof Error ? error : new Error(String(error)))
  }

  const wait = new StabilityWait(options.stableMs ?? DEFAULT_STABLE_MS, {
    onStable: (path: string, stats: Stats) => {
      const seen = `${stats.size}:${stats.mtimeMs}`
      if (closed || known.get(path) === seen) return
      known.set(path, seen)
      options.onComplete(relativeOf(path), path)
    },
    onDirectory: (path: string) => {
      if (!listed.has(path)) void adopt(path)
    },
    onError: report,
  })

  /** A folder's entries: an unreadable one is reported and skipped, one already gone is empty. */
  async function entriesOf(dir: string): Promise<Dirent[]> {
    try {
      return await readdir(dir, { withFileTypes: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report(error)
      return []
    }
  }

  /** Each file in `dir` waits for stability like any other; each folder within the depth limit goes to `folder`. */
  async function visit(dir: string, folder: (path: string) => Promise<void>): Promise<void> {
    listed.add(dir)
    for (const entry of await entriesOf(dir)) {
      const path = join(dir, entry.name)
      if (closed || ignored(path)) continue
      if (!entry.isDirectory()) wait.touch(path)
      else if (foldersAbove(path) < MAX_DEPTH) await folder(path)
    }
  }

  /** Lists `dir` down to the depth limit. */
  async function list(dir: string): Promise<void> {
    await visit(dir, list)
  }

  /** A folder that appeared after the start. The watcher follows it, but on Linux it starts
   *  watching a new folder only once told of it: files written before that are listed here, and
   *  sub-folders it came with (mkdir -p, a coil folder moved in whole) get a subscription of their own. */
  async function adopt(dir: string): Promise<void> {
    await visit(dir, async (path) => {
      if (listed.has(path) || extras.has(path)) return
      const subscription = subscribe(path, onEvents, { ignore: excluded }).catch((error: unknown) => (report(error), null))
      extras.set(path, subscription)
      if ((await subscription) && !closed) await list(path).catch(report)
    })
  }

  function removed(path: string): void {
    wait.forget(path, isUnder(path))
    // A file reported complete: nothing lies under it, so the other files need no look.
    if (known.delete(path)) return options.onRemoved(relativeOf(path))
    for (const dir of listed) if (dir === path || isUnder(path)(dir)) listed.delete(dir)
    for (const file of known.keys()) {
      if (!isUnder(path)(file)) continue
      known.delete(file)
      options.onRemoved(relativeOf(file))
    }
    const extra = extras.get(path)
    if (extra) void extra.then((subscription) => subscription?.unsubscribe()).catch(() => {})
    extras.delete(path)
  }

  function onEvents(error: Error | null, events: Event[]): void {
    if (closed) return
    if (error) return report(error)
    for (const { path, type } of events) {
      if (path === root && type === 'delete') report(new Error(`${folder} was removed: it is no longer watched`))
      if (closed || ignored(path)) continue
      if (type === 'delete') removed(path)
      else wait.touch(path)
    }
  }

  const subscription = subscribe(root, onEvents, { ignore: excluded })
  const ready = subscription.then(() => list(root)).catch(report)
  return {
    ready,
    async close() {
      closed = true
      wait.close()
      const all = [subscription.catch(() => null), ...extras.values()]
      // A folder already gone can fail to unwatch; it is not watched either way.
      await Promise.all(all.map((pending) => pending.then((s) => s?.unsubscribe()).catch(() => {})))
      await ready
    },
  }
}
