// A comparison carried into Review from the Compare screen: the two sides, the images ranked by how
// much they disagree (Review's queue while it lasts), the image's A and B masks, and which view of
// them the viewer draws. Nothing here while no comparison is active: Review is as it always was.
import type { CompareApiMethods, CompareView } from '../../../../src-shared/compareTypes.ts'
import { decodeRle } from '../../../../src-shared/rle.ts'
import { nextView, type OverlayView } from '../../lib/compareOverlay.ts'

export class ReviewComparison {
  active = $state.raw<CompareView | null>(null)
  view = $state<OverlayView>('diff')
  /** The masks of the image they belong to, per class: [A, B]. */
  shown = $state.raw<{ readonly imageId: number; readonly masks: [Uint8Array, Uint8Array][] } | null>(null)

  readonly #api: Pick<CompareApiMethods, 'getCompareImage'>

  constructor(api: Pick<CompareApiMethods, 'getCompareImage'>) {
    this.#api = api
  }

  /** The images in order of disagreement, most first. */
  get rankedImageIds(): number[] {
    return this.active?.ranking.map((r) => r.imageId) ?? []
  }

  start(result: CompareView): void {
    this.active = result
    this.view = 'diff'
    this.shown = null
  }

  leave(): void {
    this.active = null
    this.shown = null
  }

  flip(): void {
    this.view = nextView(this.view)
  }

  /** Loads A's and B's masks for an image of the source (a stale answer is dropped). */
  async load(imageId: number): Promise<void> {
    const result = this.active
    if (!result || this.shown?.imageId === imageId) return
    const image = await this.#api.getCompareImage({ sourceId: result.sourceId, a: result.a.spec, b: result.b.spec, imageId })
    if (this.active !== result) return
    this.shown = {
      imageId,
      masks: image.classes.map((c) => [decodeRle(c.rleA, image.height, image.width), decodeRle(c.rleB, image.height, image.width)]),
    }
  }
}
