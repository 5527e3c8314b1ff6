// Names a writer gives a file it has not finished: a camera or a copy tool writes under one of
// these and renames when done, so such a file is never read; the rename is the arrival.
import { basename } from 'node:path'

const TEMPORARY_SUFFIXES = /\.(tmp|temp|part|partial|crdownload|download|filepart|inprogress|writing|lock)$/i

export function isTemporaryName(path: string): boolean {
  const name = basename(path)
  return name.startsWith('.') || name.startsWith('~$') || name.endsWith('~') || TEMPORARY_SUFFIXES.test(name)
}
