// The sources (opened folders) with their counts, and which one the Library shows.
import type { CoilscopeApi, SourceSummary } from '../../../src-shared/api.ts'

export class SourcesState {
  list = $state.raw<SourceSummary[]>([])
  selectedId = $state<number | null>(null)
  readonly selected = $derived(this.list.find((s) => s.id === this.selectedId) ?? null)

  readonly #api: CoilscopeApi

  constructor(api: CoilscopeApi) {
    this.#api = api
  }

  async refresh(): Promise<void> {
    this.list = await this.#api.listSources()
    if (this.selectedId === null || !this.list.some((s) => s.id === this.selectedId)) this.selectedId = this.list.at(-1)?.id ?? null
  }

  async open(path: string): Promise<SourceSummary> {
    const source = await this.#api.openFolder({ path })
    await this.refresh()
    this.selectedId = source.id
    return source
  }

  select(id: number): void {
    this.selectedId = id
  }
}
