// The folder a quantize writes into before the new set appears whole: `.<name>.partial-<pid>` beside
// the target, named after the process writing it. A quantize that was killed leaves it behind;
// one whose process is gone is removed by the next quantize into that folder or the next models
// listing, and one whose process still runs is never touched (it may still be writing).
import type { Dirent } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

const PARTIAL_NAME = /^\.(.+)\.partial-(\d+)$/

/** Where a quantize by process `pid` writes the set that becomes `outDir`. */
export function partialFolderFor(outDir: string, pid: number): string {
  return join(dirname(outDir), `.${basename(outDir)}.partial-${pid}`)
}

/** The target's name and the writer's pid of a partial folder's name; null for any other name. */
export function parsePartialName(name: string): { readonly target: string; readonly pid: number } | null {
  const match = PARTIAL_NAME.exec(name)
  return match ? { target: match[1], pid: Number(match[2]) } : null
}

/** Whether a process with this pid exists (one of another user's counts: it may be writing). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

export interface RemovedPartial {
  readonly path: string
  readonly pid: number
}

/**
 * Removes the partial folders in `dir` whose writing process is no longer running and says which
 * (a folder that cannot be read removes nothing).
 */
export async function removeStalePartials(dir: string, isAlive: (pid: number) => boolean = isProcessAlive): Promise<RemovedPartial[]> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const removed: RemovedPartial[] = []
  for (const entry of entries) {
    const partial = entry.isDirectory() ? parsePartialName(entry.name) : null
    if (!partial || isAlive(partial.pid)) continue
    const path = join(dir, entry.name)
    await rm(path, { recursive: true, force: true })
    removed.push({ path, pid: partial.pid })
  }
  return removed
}

/** What a removal says to the user. */
export function describeRemovedPartial(removed: RemovedPartial): string {
  return `removed ${removed.path}: an unfinished quantize left it (process ${removed.pid} is no longer running)`
}
