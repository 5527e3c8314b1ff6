// masks.json of a mask folder, written as the images are: what was exported first, then each
// image's path as the writer takes it, then what the writer adds at the end (the overlaps). The
// text is exactly JSON.stringify(sidecar, null, 2); memory stays bounded at any size.
import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { SelectionHeader } from './exportSelection.ts'

export const MASK_SIDECAR = 'masks.json'
const FLUSH_AT = 5000

export class MaskSidecar {
  readonly #handle: FileHandle
  #pending: string[] = []
  #count = 0
  #writing: Promise<unknown> = Promise.resolve()

  private constructor(handle: FileHandle) {
    this.#handle = handle
  }

  /** Creates `masks.json` in `dir` (refusing one already there) and writes what the export is. */
  static async open(dir: string, selection: SelectionHeader, what: string): Promise<MaskSidecar> {
    const handle = await open(join(dir, MASK_SIDECAR), 'wx')
    const header = {
      what,
      runId: selection.run.id,
      modelSet: { id: selection.modelSet.manifestId, version: selection.modelSet.version, manifestSha256: selection.modelSet.manifestSha256 },
      masks: selection.maskSource,
      profile: selection.profile?.name ?? null,
      rejected: selection.rejected,
      classes: selection.classes,
    }
    const sidecar = new MaskSidecar(handle)
    sidecar.#write(`${JSON.stringify(header, null, 2).slice(0, -2)},\n  "images": [`)
    return sidecar
  }

  add(relativePath: string): void {
    this.#pending.push(`${this.#count++ === 0 ? '' : ','}\n    ${JSON.stringify(relativePath)}`)
    if (this.#pending.length >= FLUSH_AT) this.#flush()
  }

  /** Ends the images, adds `extra`'s entries and closes the file. */
  async close(extra: Record<string, unknown>): Promise<void> {
    this.#flush()
    const tail = Object.entries(extra).map(([key, value]) => `,\n  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}`)
    this.#write(`${this.#count === 0 ? ']' : '\n  ]'}${tail.join('')}\n}\n`)
    try {
      await this.#writing
    } finally {
      await this.#handle.close()
    }
  }

  /** Closes the file after a failure (the folder it is in is being removed). */
  async abandon(): Promise<void> {
    await this.#writing.catch(() => undefined)
    await this.#handle.close()
  }

  #flush(): void {
    if (this.#pending.length === 0) return
    this.#write(this.#pending.join(''))
    this.#pending = []
  }

  #write(text: string): void {
    this.#writing = this.#writing.then(() => this.#handle.write(text))
  }
}
