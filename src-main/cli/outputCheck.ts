// What can be known about an output path before any work is done: its folder exists and takes
// files, nothing is in the way, the name fits, and nothing the user has is replaced without --force.
// The write itself checks again (atomically); this is so a long run does not fail at its end.
import { accessSync, constants, readdirSync, statSync, type Stats } from 'node:fs'
import { basename, dirname } from 'node:path'
import { TargetExistsError } from '../export/atomicWrite.ts'
import { UsageError } from './usageError.ts'

/** Longest file name (bytes) on the filesystems Coilscope runs on (NAME_MAX). */
const NAME_MAX = 255

export interface OutputCheck {
  /** 'file' for csv, json, reports; 'folder' for mask PNG folders. */
  readonly kind: 'file' | 'folder'
  readonly force: boolean
}

/** Throws a UsageError naming `path` and why it cannot be written; returns when it can. */
export function checkOutputPath(path: string, check: OutputCheck): void {
  const problem = outputProblem(path, check)
  if (problem) throw new UsageError(`cannot write ${path}: ${problem}`)
}

export function outputProblem(path: string, { kind, force }: OutputCheck): string | null {
  const name = basename(path)
  if (Buffer.byteLength(name) > NAME_MAX) return `the name is ${Buffer.byteLength(name)} bytes long, the limit is ${NAME_MAX}`
  const folder = dirname(path)
  const parent = statOrNull(folder)
  if (!parent) return `no such folder ${folder}`
  if (!parent.isDirectory()) return `${folder} is not a folder`
  const target = statOrNull(path)
  if (kind === 'file') {
    if (target?.isDirectory()) return 'a folder is in the way'
    if (target && !force) return 'it already exists (pass --force to replace it)'
  } else if (target) {
    if (!target.isDirectory()) return 'a file is in the way'
    const entries = readdirSync(path).length
    if (entries > 0 && !force) return `the folder has ${entries} ${entries === 1 ? 'entry' : 'entries'} in it (pass --force to write into it; only files of the names the export writes are replaced)`
  }
  try {
    accessSync(target?.isDirectory() ? path : folder, constants.W_OK)
  } catch (error) {
    return `${target?.isDirectory() ? path : folder} is not writable (${(error as NodeJS.ErrnoException).code})`
  }
  return null
}

/** A refusal from the write itself (something appeared meanwhile), in the CLI's words. */
export function forceHint(error: unknown): Error {
  const exists = error instanceof TargetExistsError ? error : (error as Error).cause instanceof TargetExistsError ? ((error as Error).cause as TargetExistsError) : null
  if (!exists) return error as Error
  return new UsageError(`cannot write ${exists.path}: it ${exists.reason} (pass --force to replace it)`)
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}
