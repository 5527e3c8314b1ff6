// The inspector's sign-off on the image shown: accept, reject or flag with a note, one image or
// many at once (from the contact sheet), and moving on to the next image still to review.
import type { ReviewApiMethods, ReviewImageView, ReviewStatusName } from '../../../../src-shared/reviewTypes.ts'
import type { ReviewNavigation } from './navigation.svelte.ts'

export class ReviewTriage {
  /** The image's review status; kept apart from the view so that triage does not redraw the masks. */
  status = $state<ReviewStatusName>('unreviewed')
  note = $state('')
  /** Accept, reject and flag move on to the next unreviewed image (a preference, on by default). */
  advanceAfterTriage = $state(true)

  readonly #api: ReviewApiMethods
  readonly #navigation: ReviewNavigation

  constructor(api: ReviewApiMethods, navigation: ReviewNavigation) {
    this.#api = api
    this.#navigation = navigation
  }

  /** A new image shows its own sign-off. */
  show(view: ReviewImageView): void {
    this.status = view.review?.status ?? 'unreviewed'
    this.note = view.review?.note ?? ''
  }

  async decide(status: ReviewStatusName): Promise<void> {
    const view = this.#navigation.view
    if (!view) return
    await this.#api.setReview({ imageId: view.imageId, status, note: this.note })
    this.#navigation.markStatus(new Set([view.imageId]), status)
    this.status = status
    // On to the next image still to review (the gated-out ones a batch accepted are passed over).
    if (this.advanceAfterTriage && this.#navigation.view === view) await this.#navigation.nextUnreviewed()
  }

  /** Accepts many images at once (after a look at them on the contact sheet). */
  async acceptMany(imageIds: readonly number[]): Promise<void> {
    this.#navigation.forgetAhead()
    const accepted = new Set<number>()
    try {
      for (const imageId of imageIds) {
        await this.#api.setReview({ imageId, status: 'accepted', note: '' })
        accepted.add(imageId)
      }
    } finally {
      // What was saved shows, even when a later one failed.
      this.#navigation.markStatus(accepted, 'accepted')
      const shown = this.#navigation.view
      if (shown && accepted.has(shown.imageId)) this.status = 'accepted'
    }
  }
}
