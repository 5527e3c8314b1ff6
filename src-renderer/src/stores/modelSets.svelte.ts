// The model sets under the models root, validated by main, and the set and provider chosen to run.
import type { CoilscopeApi, ModelSetInfo, ProviderChoice } from '../../../src-shared/api.ts'

export class ModelSetsState {
  sets = $state.raw<ModelSetInfo[]>([])
  selectedDir = $state<string | null>(null)
  provider = $state<ProviderChoice>('auto')
  isLoading = $state(false)
  readonly selected = $derived(this.sets.find((s) => s.dir === this.selectedDir) ?? null)

  readonly #api: CoilscopeApi
  /** The latest load: an earlier one that answers later (a slower list) must not undo its choice. */
  #loadTicket = 0

  constructor(api: CoilscopeApi) {
    this.#api = api
  }

  /** Loads the sets (main checks each one, so this can take a few seconds the first time). */
  async load(preferredDir: string | null, provider: ProviderChoice): Promise<void> {
    const ticket = ++this.#loadTicket
    this.isLoading = true
    this.provider = provider
    let sets: ModelSetInfo[]
    try {
      sets = await this.#api.listModelSets()
    } finally {
      if (ticket === this.#loadTicket) this.isLoading = false
    }
    if (ticket !== this.#loadTicket) return
    this.sets = sets
    const wanted = this.sets.find((s) => s.dir === (this.selectedDir ?? preferredDir))
    this.selectedDir = (wanted ?? this.sets.find((s) => s.isValid) ?? this.sets[0])?.dir ?? null
  }

  select(dir: string): void {
    this.selectedDir = dir
  }
}
