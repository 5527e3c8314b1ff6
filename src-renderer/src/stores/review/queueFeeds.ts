// The two queues Review goes through: the run's own, in the order chosen, read from the host in
// windows; and a ranking made elsewhere (a comparison's images, most disagreement first), whose
// items are read from the host by id as their pages come into view.
import type { ReviewApiMethods, ReviewQueueOrder, ReviewSearchResult } from '../../../../src-shared/reviewTypes.ts'
import { REVIEW_SEARCH } from '../../../../src-shared/reviewSearch.ts'
import type { QueueFeed } from './queuePages.svelte.ts'

type QueueApi = Pick<ReviewApiMethods, 'listReviewWindow' | 'locateInReviewQueue' | 'searchReviewQueue' | 'listReviewItems'>

/** Ids of a ranking read per call of a search, and per call at most. */
const RANKED_CHUNK = 500
const RANKED_SEARCH = 5000

export function runQueueFeed(api: QueueApi, runId: number, sourceId: number, order: ReviewQueueOrder): QueueFeed {
  return {
    read: (from, limit, afterImageId) => api.listReviewWindow({ runId, sourceId, order, from, limit, afterImageId }),
    locate: (imageId) => api.locateInReviewQueue({ runId, sourceId, order, imageId }),
    search: (match, from, limit) => api.searchReviewQueue({ runId, sourceId, order, match, from, limit }),
  }
}

/**
 * A ranking of the run's images. Each ranked image has a result in the run (a comparison ranks the
 * images both sides have, and this run is one side), so positions are the ranking's.
 */
export function rankedQueueFeed(api: QueueApi, runId: number, imageIds: readonly number[]): QueueFeed {
  const itemsAt = (from: number, limit: number) => api.listReviewItems({ runId, imageIds: imageIds.slice(from, from + limit) })
  return {
    read: async (from, limit) => ({ total: imageIds.length, items: await itemsAt(from, limit) }),
    locate: async (imageId) => {
      const position = imageIds.indexOf(imageId)
      return position >= 0 ? position : null
    },
    search: async (match, from, limit): Promise<ReviewSearchResult> => {
      const matches: ReviewSearchResult['matches'][number][] = []
      let at = from
      while (at < imageIds.length && at - from < RANKED_SEARCH && matches.length < limit) {
        const items = await itemsAt(at, RANKED_CHUNK)
        for (const item of items) {
          if (matches.length < limit && REVIEW_SEARCH[match].matches(item)) matches.push({ position: imageIds.indexOf(item.imageId, at), item })
        }
        at = matches.length === limit ? matches.at(-1)!.position + 1 : Math.min(imageIds.length, at + RANKED_CHUNK)
      }
      return { matches, total: imageIds.length, scannedTo: at }
    },
  }
}
