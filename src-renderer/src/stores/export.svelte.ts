// The Export screen's state: the saved threshold profiles to choose from, and the one export or
// report being written — busy, its result in words, the file to download, or its error. Only this
// store calls the API for the screen.
import type { ExportApiMethods, ExportRunInput, WriteReportInput } from '../../../src-shared/exportTypes.ts'
import type { ThresholdProfile } from '../../../src-shared/thresholdProfile.ts'

export type ExportApi = ExportApiMethods & { listProfiles(): Promise<ThresholdProfile[]> }

export interface Download {
  readonly url: string
  readonly name: string
}

export class ExportState {
  profiles = $state.raw<ThresholdProfile[]>([])
  isBusy = $state(false)
  result = $state<string | null>(null)
  error = $state<string | null>(null)
  /** The file the browser is to download (on the web host, where the host writes under its own folder). */
  download = $state.raw<Download | null>(null)

  readonly #api: ExportApi

  constructor(api: ExportApi) {
    this.#api = api
  }

  async loadProfiles(): Promise<void> {
    this.profiles = await this.#api.listProfiles()
  }

  /** Writes an export; `downloadName` is what the browser saves it as. */
  exportRun(input: ExportRunInput, downloadName: string): Promise<void> {
    return this.#run(async () => {
      const r = await this.#api.exportRun(input)
      this.#offer(r.downloadUrl, downloadName)
      const policy = input.rejected === 'exclude' ? 'left out' : input.rejected === 'empty' ? 'emptied' : 'kept'
      return `Wrote ${r.path}: ${r.images} images, ${r.nonEmptyMasks} non-empty masks, ${r.files} file${r.files === 1 ? '' : 's'}${r.rejectedImages ? `, ${r.rejectedImages} rejected ${policy}` : ''}.`
    })
  }

  writeReport(input: WriteReportInput, downloadName: string): Promise<void> {
    return this.#run(async () => {
      const r = await this.#api.writeReport(input)
      this.#offer(r.downloadUrl, downloadName)
      return `Wrote the ${r.format.toUpperCase()} report ${r.path} (${Math.round(r.bytes / 1024)} kB).`
    })
  }

  #offer(url: string | undefined, name: string): void {
    if (url) this.download = { url, name }
  }

  async #run(work: () => Promise<string>): Promise<void> {
    this.isBusy = true
    this.error = null
    this.result = null
    this.download = null
    try {
      this.result = await work()
    } catch (e) {
      this.error = (e as Error).message
    } finally {
      this.isBusy = false
    }
  }
}
