// Reads a file only if it is a regular file. Opening a FIFO for reading waits for a writer (for
// ever), and a device node may never end; so the file is opened non-blocking (which regular files
// ignore), checked with fstat on the open descriptor (no race with a swap after a stat), and only
// then read. Anything else is a NotRegularFileError naming the path and what is there.
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs'
import { open } from 'node:fs/promises'

export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG'
  readonly path: string
  /** What is there instead, e.g. "a FIFO". */
  readonly kind: string
  constructor(path: string, kind: string) {
    super(`${path}: not a regular file (${kind})`)
    this.path = path
    this.kind = kind
  }
}

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK

export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await open(path, FLAGS)
  try {
    const kind = irregularKind(await handle.stat())
    if (kind) throw new NotRegularFileError(path, kind)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

/** The same, synchronously (for a thread that must not yield, such as the inference loop). */
export function readRegularFileSync(path: string): Buffer {
  const fd = openSync(path, FLAGS)
  try {
    const kind = irregularKind(fstatSync(fd))
    if (kind) throw new NotRegularFileError(path, kind)
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Null for a regular file, else what it is, in words. */
export function irregularKind(stat: Stats): string | null {
  if (stat.isFile()) return null
  if (stat.isFIFO()) return 'a FIFO'
  if (stat.isDirectory()) return 'a folder'
  if (stat.isSocket()) return 'a socket'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  return 'not a file'
}
