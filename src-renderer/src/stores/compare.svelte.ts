// The Compare screen's state: the two sides picked for a source, the comparison, the image shown
// with its A/B masks, which view of them is drawn, and the source's model-set decisions.
import type { CompareImageView, CompareView, CoilscopeApi, ModelSetInfo, RunSummary, SourceModelDecisionView } from '../../../src-shared/api.ts'
import type { ThresholdProfile } from '../../../src-shared/thresholdProfile.ts'
import { decodeRle } from '../../../src-shared/rle.ts'

import type { OverlayView } from '../lib/compareOverlay.ts'

export type { OverlayView } from '../lib/compareOverlay.ts'

export interface SidePick {
  /** A run id as text, or a model set's folder. */
  target: string
  /** '' for the run's own profile, else a saved profile's name. */
  profile: string
}

export class CompareState {
  sourceId = $state<number | null>(null)
  runs = $state.raw<RunSummary[]>([])
  modelSets = $state.raw<ModelSetInfo[]>([])
  profiles = $state.raw<ThresholdProfile[]>([])
  a = $state<SidePick>({ target: '', profile: '' })
  b = $state<SidePick>({ target: '', profile: '' })
  result = $state.raw<CompareView | null>(null)
  image = $state.raw<CompareImageView | null>(null)
  /** Decoded masks of the image shown, per class: [A, B]. */
  masks = $state.raw<[Uint8Array, Uint8Array][]>([])
  view = $state<OverlayView>('diff')
  decisions = $state.raw<SourceModelDecisionView[]>([])
  isBusy = $state(false)
  readonly #api: CoilscopeApi

  constructor(api: CoilscopeApi) {
    this.#api = api
  }

  async load(sourceId: number): Promise<void> {
    this.sourceId = sourceId
    const [runs, modelSets, profiles, decisions] = await Promise.all([
      this.#api.listRuns(), this.#api.listModelSets(), this.#api.listProfiles(), this.#api.listSourceModelDecisions({ sourceId }),
    ])
    this.runs = runs.filter((r) => r.sourceId === sourceId && r.kind !== 'forced')
    this.modelSets = modelSets.filter((s) => s.isValid)
    this.profiles = profiles
    this.decisions = decisions
    if (this.a.target === '' && this.runs[0]) this.a = { target: String(this.runs[0].id), profile: '' }
    if (this.b.target === '' && this.runs[0]) this.b = { target: String(this.runs[0].id), profile: '' }
  }

  static spec(pick: SidePick): string {
    return pick.profile === '' ? pick.target : `${pick.target}:${pick.profile}`
  }

  async compare(): Promise<void> {
    if (this.sourceId === null) return
    this.isBusy = true
    try {
      this.result = await this.#api.compareRuns({ sourceId: this.sourceId, a: CompareState.spec(this.a), b: CompareState.spec(this.b) })
      this.image = null
      this.masks = []
      const first = this.result.ranking[0]
      if (first) await this.show(first.imageId)
      await this.load(this.sourceId) // a model set may have run
    } finally {
      this.isBusy = false
    }
  }

  async show(imageId: number): Promise<void> {
    const result = this.result
    if (!result) return
    const image = await this.#api.getCompareImage({ sourceId: result.sourceId, a: result.a.spec, b: result.b.spec, imageId })
    this.masks = image.classes.map((c) => [decodeRle(c.rleA, image.height, image.width), decodeRle(c.rleB, image.height, image.width)])
    this.image = image
  }

  /** The key that flips between the sides: diff → A → B → A …; Escape-like return with setView('diff'). */
  flip(): void {
    this.view = this.view === 'a' ? 'b' : 'a'
  }

  async decide(note: string): Promise<void> {
    const result = this.result
    if (!result) return
    await this.#api.decideSourceModelSet({ sourceId: result.sourceId, a: result.a.spec, b: result.b.spec, note })
    this.decisions = await this.#api.listSourceModelDecisions({ sourceId: result.sourceId })
  }
}
