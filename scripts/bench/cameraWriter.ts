// A camera in a benchmark: images written into a folder at a set rate, each file slowly in chunks
// (as a line's camera system writes them), so a watcher sees files grow before they are complete.
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export interface ImageBytes {
  readonly name: string
  readonly bytes: Buffer
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/**
 * The arrivals at `rate` images/s for `seconds`: the images again and again, each under a name of
 * its own; with `seconds` null, the images once.
 */
export function arrivalsFor(images: readonly ImageBytes[], rate: number, seconds: number | null): ImageBytes[] {
  if (seconds === null) return [...images]
  return Array.from({ length: Math.ceil(rate * seconds) }, (_, n) => {
    const image = images[n % images.length]
    return { name: `${String(n).padStart(6, '0')}-${image.name}`, bytes: image.bytes }
  })
}

/** Writes `bytes` to `path` in four chunks over `spanMs`; resolves with the time the writer closed it. */
export async function writeSlowly(path: string, bytes: Buffer, spanMs: number): Promise<number> {
  const fd = openSync(path, 'w')
  const chunk = Math.ceil(bytes.length / 4)
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    writeSync(fd, bytes, offset, Math.min(chunk, bytes.length - offset))
    await sleep(spanMs / 4)
  }
  closeSync(fd)
  return Date.now()
}

/**
 * Starts writing `arrivals` into `folder`, the i-th at `startedAt + i / rate` s, each over
 * `spanMs`; resolves with each file's completion time (ms since the epoch) by name.
 */
export async function writeArrivals(folder: string, arrivals: readonly ImageBytes[], rate: number, spanMs: number, startedAt = Date.now()): Promise<Map<string, number>> {
  const completed = new Map<string, number>()
  await Promise.all(
    arrivals.map(async ({ name, bytes }, i) => {
      await sleep(Math.max(0, startedAt + (i / rate) * 1000 - Date.now()))
      completed.set(name, await writeSlowly(join(folder, name), bytes, spanMs))
    }),
  )
  return completed
}
