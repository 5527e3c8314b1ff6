// Loading an image for review: its view (classes, human masks, review) and its probability maps,
// and the next and previous ones ahead of time, so moving through the queue waits on neither.
import type { ReviewApiMethods, ReviewImageView } from '../../../src-shared/reviewTypes.ts'

export type ProbMapLoader = (predictionId: number) => Promise<Uint8Array>

export interface LoadedImage {
  readonly view: ReviewImageView
  readonly maps: Uint8Array | null
}

export class ReviewImages {
  readonly #api: ReviewApiMethods
  readonly #loadMaps: ProbMapLoader
  readonly #ahead = new Map<string, Promise<LoadedImage>>()

  constructor(api: ReviewApiMethods, loadMaps: ProbMapLoader) {
    this.#api = api
    this.#loadMaps = loadMaps
  }

  /**
   * Loads an image afresh (after a change to it: forced stage 2). `mapsOf` is the prediction whose
   * maps the queue says it has: they are requested alongside the view instead of after it.
   */
  async fetch(runId: number, imageId: number, mapsOf: number | null = null): Promise<LoadedImage> {
    const early = mapsOf === null ? null : this.#loadMaps(mapsOf)
    early?.catch(() => undefined) // used below, or dropped when the view names other maps
    const view = await this.#api.getReviewImage({ runId, imageId })
    const predictionId = view.forced?.predictionId ?? (view.mapSize ? view.predictionId : null)
    if (predictionId === null) return { view, maps: null }
    return { view, maps: await (early && predictionId === mapsOf ? early : this.#loadMaps(predictionId)) }
  }

  /** The image, from what was loaded ahead when there is one (a failed prefetch is fetched again). */
  async take(runId: number, imageId: number, mapsOf: number | null = null): Promise<LoadedImage> {
    const key = `${runId}:${imageId}`
    const pending = this.#ahead.get(key)
    this.#ahead.delete(key)
    return (pending && (await pending.catch(() => null))) || this.fetch(runId, imageId, mapsOf)
  }

  /** Loads these images ahead; anything else loaded ahead is dropped. */
  prefetch(runId: number, images: readonly { imageId: number; mapsOf: number | null }[]): void {
    const keys = images.map((image) => `${runId}:${image.imageId}`)
    for (const key of this.#ahead.keys()) if (!keys.includes(key)) this.#ahead.delete(key)
    images.forEach(({ imageId, mapsOf }, i) => {
      if (this.#ahead.has(keys[i])) return
      const pending = this.fetch(runId, imageId, mapsOf)
      pending.catch(() => this.#ahead.delete(keys[i]))
      this.#ahead.set(keys[i], pending)
    })
  }

  /** Forgets what was loaded ahead (reviews or masks changed elsewhere: a batch accept, a new queue). */
  forget(): void {
    this.#ahead.clear()
  }
}
