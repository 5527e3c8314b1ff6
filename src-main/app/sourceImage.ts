// Opens an image file of a source for serving: only a regular file whose real path (links
// followed) lies inside the source's real folder and whose first bytes are an image. A link out of
// the folder, a text file named .jpg, a FIFO or a device put there after the scan are refused.
import { constants } from 'node:fs'
import { open, realpath } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import { SNIFF_BYTES, sniffImageFormat, type ImageFormat } from '../pipeline/sniff.ts'

export interface SourceImage {
  /** The file's real path. */
  readonly path: string
  readonly format: ImageFormat
  /** The whole file, when asked for (read through the handle that was checked). */
  readonly bytes: Buffer | null
}

export async function openSourceImage(folderPath: string, relativePath: string, options: { withBytes: boolean }): Promise<SourceImage | null> {
  const folder = await realpath(folderPath).catch(() => null)
  const path = folder && (await realpath(resolve(folderPath, relativePath)).catch(() => null))
  if (!folder || !path || !path.startsWith(folder + sep)) return null
  // O_NONBLOCK: a FIFO opens at once (and fails isFile) instead of waiting for a writer.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null)
  if (!handle) return null
  try {
    if (!(await handle.stat()).isFile()) return null
    const head = new Uint8Array(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    const format = sniffImageFormat(head.subarray(0, bytesRead))
    if (!format) return null
    return { path, format, bytes: options.withBytes ? await handle.readFile() : null }
  } finally {
    await handle.close()
  }
}
