// The selected source's coils with their proposals and decisions, the coil shown on the map, and
// the reviewer's decision on it.
import type { CoilList, CoilMap, CoilscopeApi, Disposition } from '../../../src-shared/api.ts'

export class CoilsState {
  list = $state.raw<CoilList | null>(null)
  map = $state.raw<CoilMap | null>(null)
  readonly #api: CoilscopeApi
  #sourceId: number | null = null

  constructor(api: CoilscopeApi) {
    this.#api = api
  }

  async load(sourceId: number): Promise<void> {
    this.#sourceId = sourceId
    const list = await this.#api.listCoils({ sourceId })
    if (this.#sourceId !== sourceId) return // another source was chosen meanwhile
    this.list = list
    const shown = this.map && list.coils.find((c) => c.id === this.map!.summary.id)
    await this.open(shown ? shown.id : (list.coils[0]?.id ?? null))
  }

  async open(coilId: number | null): Promise<void> {
    this.map = coilId === null ? null : await this.#api.getCoilMap({ coilId })
  }

  async decide(disposition: Disposition, note: string): Promise<void> {
    const summary = this.map?.summary
    if (!summary?.proposal || this.#sourceId === null) return
    await this.#api.decideCoil({ coilId: summary.id, proposed: summary.proposal.outcome, disposition, note })
    await this.load(this.#sourceId)
  }
}
