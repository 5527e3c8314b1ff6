// Which queue items a search of Review's queue picks: the batch-accept sheet's filters and the
// "next unreviewed" key. One table, read by the host's search and by the screen's labels.
import type { ReviewQueueItem, ReviewSearchMatch } from './reviewTypes.ts'

export const REVIEW_SEARCH: Record<ReviewSearchMatch, { readonly label: string; readonly matches: (item: ReviewQueueItem) => boolean }> = {
  gatedOut: { label: 'Gated out (no defect segmented), unreviewed, not edited', matches: (i) => !i.gatePassed && i.status === 'unreviewed' && !i.hasHumanEdits },
  unreviewed: { label: 'Every unreviewed image', matches: (i) => i.status === 'unreviewed' },
}
