// The Library screen's state: sources, model sets, the queue and the image list, kept in step with
// main's events. Refreshes after finished images are batched, so a fast run does not flood the list.
import type { CoilscopeApi, Settings } from '../../../src-shared/api.ts'
import { CoilsState } from './coils.svelte.ts'
import { ImageListState } from './imageList.svelte.ts'
import { ModelSetsState } from './modelSets.svelte.ts'
import { QueueState } from './queue.svelte.ts'
import { SourcesState } from './sources.svelte.ts'

const REFRESH_MS = 700

export class LibraryState {
  readonly sources: SourcesState
  readonly modelSets: ModelSetsState
  readonly queue: QueueState
  readonly images: ImageListState
  /** The selected source's coils; loaded by the Library screen when it shows a source. */
  readonly coils: CoilsState
  isOpenDialogShown = $state(false)
  readonly activeJob = $derived.by(() => this.queue.activeFor(this.sources.selectedId))
  readonly canRun = $derived.by(() => this.sources.selected !== null && this.modelSets.selected?.isValid === true && this.activeJob === null)

  readonly #api: CoilscopeApi
  #refreshTimer: ReturnType<typeof setTimeout> | null = null

  constructor(api: CoilscopeApi) {
    this.#api = api
    this.sources = new SourcesState(api)
    this.modelSets = new ModelSetsState(api)
    this.queue = new QueueState(api)
    this.images = new ImageListState(api)
    this.coils = new CoilsState(api)
    api.onImageFinished(() => this.#refreshSoon())
    api.onJobProgress((job) => {
      if (job.state !== 'running') this.#refreshSoon()
    })
    api.onSourcesChanged(() => this.#refreshSoon())
  }

  async load(settings: Settings): Promise<void> {
    await Promise.all([this.sources.refresh(), this.queue.refresh()])
    await this.images.show(this.sources.selectedId)
    await this.modelSets.load(settings.lastModelSetDir, settings.provider)
  }

  async selectSource(id: number): Promise<void> {
    this.sources.select(id)
    await this.images.show(id)
  }

  /** Opens a folder by path (typed, dropped, or from Open Recent) and shows it. */
  async openPath(path: string): Promise<void> {
    const source = await this.sources.open(path)
    this.isOpenDialogShown = false
    // Opening the shown folder again rescans it: reload what is listed.
    if (this.images.sourceId === source.id) await this.images.reload()
    else await this.images.show(source.id)
  }

  /** The native dialog where there is one, else the dialog with a path field. */
  async chooseFolder(canPickFolder: boolean): Promise<void> {
    if (!canPickFolder) {
      this.isOpenDialogShown = true
      return
    }
    const path = await this.#api.pickFolder()
    if (path) await this.openPath(path)
  }

  async run(): Promise<void> {
    const source = this.sources.selected
    const set = this.modelSets.selected
    if (!source || !set) return
    await this.queue.start(source.id, set.dir, this.modelSets.provider)
  }

  #refreshSoon(): void {
    this.#refreshTimer ??= setTimeout(() => {
      this.#refreshTimer = null
      void this.sources.refresh()
      void this.images.reload(true)
    }, REFRESH_MS)
  }
}
