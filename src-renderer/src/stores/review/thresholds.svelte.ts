// The thresholds in force for the run in review: the profile (moved live, maybe unsaved), the saved
// profiles, and the per-class scores against the truth that follow the sliders.
import type { ClassScore } from '../../../../src-shared/metrics.ts'
import type { ReviewApiMethods } from '../../../../src-shared/reviewTypes.ts'
import type { ThresholdProfile } from '../../../../src-shared/thresholdProfile.ts'

export type ThresholdKey = 'upper' | 'lower' | 'minAreaModelPx' | 'gate'

/** The run and source the thresholds are for (null: none open). */
export type RunRef = () => { readonly runId: number; readonly sourceId: number } | null

export class ReviewThresholds {
  profile = $state.raw<ThresholdProfile | null>(null)
  savedProfiles = $state.raw<ThresholdProfile[]>([])
  scores = $state.raw<readonly ClassScore[] | null>(null)
  message = $state<string | null>(null)

  readonly #api: ReviewApiMethods
  readonly #run: RunRef
  /** A profile applied to the whole run reorders the queue (its margins follow it). */
  readonly #onApplied: () => Promise<void>
  #metricsTimer: ReturnType<typeof setTimeout> | null = null

  constructor(api: ReviewApiMethods, run: RunRef, onApplied: () => Promise<void>) {
    this.#api = api
    this.#run = run
    this.#onApplied = onApplied
  }

  /** The run's profile in force, or the unsaved one a previous page left (when it fits the run). */
  async load(runId: number, restored: ThresholdProfile | null): Promise<void> {
    const [{ inForce }, saved] = await Promise.all([this.#api.getRunProfile({ runId }), this.#api.listProfiles()])
    this.profile = restored && restored.upper.length === inForce.upper.length ? restored : inForce
    this.savedProfiles = saved
    this.message = null
  }

  /** Changes one class's threshold (or the gate with classIndex null); masks follow at once. */
  set(key: ThresholdKey, classIndex: number | null, value: number): void {
    const profile = this.profile
    if (!profile) return
    const name = profile.name.endsWith('*') ? profile.name : `${profile.name}*`
    if (key === 'gate') this.profile = { ...profile, name, gate: value }
    else this.profile = { ...profile, name, [key]: profile[key].map((v, i) => (i === classIndex ? value : v)) }
    this.refreshMetrics()
  }

  /** The scores under the profile, once the sliders rest. */
  refreshMetrics(): void {
    if (this.#metricsTimer) clearTimeout(this.#metricsTimer)
    this.#metricsTimer = setTimeout(async () => {
      const run = this.#run()
      const profile = this.profile
      if (!run || !profile) return
      this.scores = (await this.#api.getRunMetrics({ ...run, profile })).scores
    }, 120)
  }

  async optimise(): Promise<void> {
    const run = this.#run()
    if (!run || !this.profile) return
    const proposal = await this.#api.optimiseThresholds({ ...run, profile: this.profile })
    if (!proposal) {
      this.message = 'No truth for this source: add truth.csv beside the images to optimise.'
      return
    }
    this.profile = proposal
    this.refreshMetrics()
  }

  async saveAs(name: string): Promise<void> {
    if (!this.profile || name.trim() === '') return
    this.profile = { ...this.profile, name: name.trim() }
    this.savedProfiles = await this.#api.saveProfile({ profile: this.profile })
    const run = this.#run()
    if (run) this.profile = await this.#api.applyProfile({ runId: run.runId, name: this.profile.name })
    await this.#onApplied()
  }

  async applySaved(name: string | null): Promise<void> {
    const run = this.#run()
    if (!run) return
    this.profile = await this.#api.applyProfile({ runId: run.runId, name })
    this.refreshMetrics()
    await this.#onApplied()
  }
}
