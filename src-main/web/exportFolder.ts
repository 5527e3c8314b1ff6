// Where the web host writes exports: each in a numbered folder of its own under the library's export
// folder (<library folder>/exports/<id>/<name>), never at a path the browser chose, so a token holder
// cannot write over the host's files. The browser downloads the result by id; a folder export (mask
// PNGs) is downloaded as a zip made beside it.
import { lstat, mkdir, readdir, readFile, realpath, rm } from 'node:fs/promises'
import { join, sep } from 'node:path'
import AdmZip from 'adm-zip'
import type { ExportDestination, PlacedExport } from '../app/exportMethods.ts'

// Letters, digits and a few marks; no separators, no leading dot, nothing a header could not carry.
const FILE_NAME = /^[\p{L}\p{N}_()+-][\p{L}\p{N}._ ()+-]{0,199}$/u
const EXPORT_ID = /^[1-9][0-9]{0,9}$/

export interface DownloadFile {
  readonly fileName: string
  readonly body: Buffer
}

export class WebExportFolder implements ExportDestination {
  readonly dir: string
  readonly #downloadBase: string

  /** `downloadBase` + id is the URL the browser downloads an export from. */
  constructor(dir: string, downloadBase: string) {
    this.dir = dir
    this.#downloadBase = downloadBase
  }

  async place(name: string): Promise<PlacedExport> {
    if (!FILE_NAME.test(name)) {
      throw new Error(`${JSON.stringify(name.slice(0, 80))}: give a file name (letters, digits, "._ ()+-"; no folders): the web host writes exports to ${this.dir} and the browser downloads them`)
    }
    if (name.endsWith('.zip')) throw new Error(`${name}: give a file name without .zip (a folder export is downloaded as <name>.zip)`)
    await mkdir(this.dir, { recursive: true })
    const id = await this.#newFolder()
    const folder = join(this.dir, String(id))
    const out = join(folder, name)
    return {
      out,
      finish: async (isFolder) => {
        if (isFolder) {
          const zip = new AdmZip()
          await zip.addLocalFolderPromise(out, { zipPath: name })
          await zip.writeZipPromise(`${out}.zip`, { overwrite: false })
        }
        return `${this.#downloadBase}${id}`
      },
      discard: () => rm(folder, { recursive: true, force: true }),
    }
  }

  /** The one file of export `id` (a zip for a folder export); null for anything else. */
  async read(id: string): Promise<DownloadFile | null> {
    if (!EXPORT_ID.test(id)) return null
    const folder = join(this.dir, id)
    const entries = await readdir(folder).catch(() => [])
    const files = []
    for (const entry of entries) if (!entry.startsWith('.') && (await lstat(join(folder, entry))).isFile()) files.push(entry)
    if (files.length !== 1) return null
    const path = join(folder, files[0])
    if (!(await realpath(path)).startsWith((await realpath(this.dir)) + sep)) return null
    return { fileName: files[0], body: await readFile(path) }
  }

  /** Numbers count up from the largest there; mkdir without `recursive` fails if another took it. */
  async #newFolder(): Promise<number> {
    const taken = (await readdir(this.dir)).filter((entry) => EXPORT_ID.test(entry)).map(Number)
    for (let id = Math.max(0, ...taken) + 1; ; id++) {
      try {
        await mkdir(join(this.dir, String(id)))
        return id
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
  }
}

/** A Content-Disposition that makes the browser save the file under its name. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}
