// The selected source's coils with their proposals and decisions, the coil shown on the map, the
// reviewer's decision on it, the source's coil settings, and the rule set's versions.
import type { CoilGeometry, CoilGrouping, CoilList, CoilMap, CoilSettingsView, CoilscopeApi, Disposition, RuleSetVersion, WriteReportOutput } from '../../../src-shared/api.ts'

export class CoilsState {
  list = $state.raw<CoilList | null>(null)
  map = $state.raw<CoilMap | null>(null)
  settings = $state.raw<CoilSettingsView | null>(null)
  ruleSets = $state.raw<readonly RuleSetVersion[]>([])
  /** The active rule set as JSON text; null when there is none. */
  activeRuleSet = $state.raw<string | null>(null)
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

  /** Writes the shown coil's report (.pdf or .html); on the web host it is downloaded. */
  async writeReport(out: string): Promise<WriteReportOutput> {
    const coilId = this.map?.summary.id
    if (coilId === undefined) throw new Error('no coil is shown')
    return this.#api.writeCoilReport({ coilId, out })
  }

  async loadSettings(sourceId: number): Promise<void> {
    const settings = await this.#api.getCoilSettings({ sourceId })
    if (this.#sourceId === sourceId) this.settings = settings
  }

  /** Stores the settings (grouping null: the default) and shows the regrouped coils. */
  async saveSettings(grouping: CoilGrouping | null, geometry: CoilGeometry): Promise<void> {
    const sourceId = this.#sourceId
    if (sourceId === null) return
    this.settings = await this.#api.setCoilSettings({ sourceId, grouping, geometry })
    await this.load(sourceId)
  }

  async loadRuleSets(): Promise<void> {
    const [versions, active] = await Promise.all([this.#api.listRuleSets(), this.#api.exportRuleSet()])
    this.ruleSets = versions
    this.activeRuleSet = active
  }

  /** Stores a new rule set version (validated in main), makes it active and re-proposes. */
  async saveRuleSet(json: string): Promise<void> {
    await this.#api.importRuleSet({ json })
    await this.loadRuleSets()
    if (this.#sourceId !== null) await this.load(this.#sourceId)
  }
}
