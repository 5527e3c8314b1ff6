// The Library screen's state: sources, model sets, the queue and the image list, kept in step with
// main's events. Refreshes after finished images are batched, so a fast run does not flood the list.
import type { CoilscopeApi, FitReport, Settings } from '../../../src-shared/api.ts'
import { CoilsState } from './coils.svelte.ts'
import { ImageListState } from './imageList.svelte.ts'
import { ModelSetsState } from './modelSets.svelte.ts'
import { QueueState } from './queue.svelte.ts'
import { SourcesState } from './sources.svelte.ts'

const REFRESH_MS = 700
/** While a source is watched, its figures (time since the last image) move without events. */
const WATCH_REFRESH_MS = 5000

export class LibraryState {
  readonly sources: SourcesState
  readonly modelSets: ModelSetsState
  readonly queue: QueueState
  readonly images: ImageListState
  /** The selected source's coils; loaded by the Library screen when it shows a source. */
  readonly coils: CoilsState
  isOpenDialogShown = $state(false)
  isAddSetDialogShown = $state(false)
  /** The selected source against the selected model set's training images (null: not known). */
  fit = $state.raw<FitReport | null>(null)
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
    setInterval(() => {
      if (this.sources.list.some((s) => s.watch !== null && s.watch.watcher !== 'none')) void this.sources.refresh()
    }, WATCH_REFRESH_MS)
  }

  /** Watches a source with the chosen model set, or stops watching it. */
  async setWatch(sourceId: number, isWatched: boolean): Promise<void> {
    await this.#api.setSourceWatch({ sourceId, isWatched, modelSetDir: this.modelSets.selected?.dir ?? null, provider: this.modelSets.provider })
    await Promise.all([this.sources.refresh(), this.queue.refresh()])
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

  /** "Add model set…": the native dialog where there is one, else the dialog with a path field. */
  async chooseModelSet(canPickFolder: boolean): Promise<void> {
    if (!canPickFolder) {
      this.isAddSetDialogShown = true
      return
    }
    const dir = await this.#api.pickFolder()
    if (dir) await this.addModelSet(dir)
  }

  /** Adds a model-set folder from anywhere; it is listed (with its problems, if invalid) and selected. */
  async addModelSet(dir: string): Promise<void> {
    const info = await this.#api.addModelSet({ dir })
    this.isAddSetDialogShown = false
    await this.modelSets.load(info.dir, this.modelSets.provider)
    this.modelSets.select(info.dir)
  }

  /** Checks the selected source against the selected set's training images. */
  async loadFit(sourceId: number, modelSetDir: string): Promise<void> {
    this.fit = null
    const fit = await this.#api.checkFit({ sourceId, modelSetDir })
    // Only if the choice has not changed meanwhile.
    if (this.sources.selectedId === sourceId && this.modelSets.selectedDir === modelSetDir) this.fit = fit
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
