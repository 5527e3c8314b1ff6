// Writes a file from text produced piece by piece, so an export of a million images never holds
// its whole text: pieces gather into a buffer that goes to disk at 1 MiB. Atomic like
// writeFileAtomic: a temporary file beside the target, flushed, then put in place — over an
// existing file only with `overwrite`; a failure removes the temporary and leaves the target as
// it was.
import { writeThroughTemporary, type WriteOptions } from './atomicWrite.ts'

const FLUSH_AT = 1 << 20

export async function writeChunksAtomic(path: string, chunks: Iterable<string>, options: WriteOptions = {}): Promise<void> {
  await writeThroughTemporary(
    path,
    'stream.tmp',
    async (handle) => {
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
    },
    options,
  )
}
