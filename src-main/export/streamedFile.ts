// Writes a file from text produced piece by piece, so an export of a million images never holds
// its whole text: pieces gather into a buffer that goes to disk at 1 MiB. Atomic like
// writeFileAtomic: a temporary file beside the target, flushed, then put in place — over an
// existing file only with `overwrite`; a failure removes the temporary and leaves the target as
// it was.
import { open, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { placeFile, type WriteOptions } from './atomicWrite.ts'

const FLUSH_AT = 1 << 20
let counter = 0

export async function writeChunksAtomic(path: string, chunks: Iterable<string>, options: WriteOptions = {}): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.stream.tmp`)
  try {
    const handle = await open(temporary, 'wx')
    try {
      let pending: string[] = []
      let size = 0
      for (const chunk of chunks) {
        pending.push(chunk)
        size += chunk.length
        if (size < FLUSH_AT) continue
        await handle.write(pending.join(''))
        pending = []
        size = 0
      }
      if (pending.length > 0) await handle.write(pending.join(''))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await placeFile(temporary, path, options)
  } finally {
    await rm(temporary, { force: true })
  }
}
