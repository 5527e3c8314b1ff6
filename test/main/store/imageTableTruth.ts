// A source of 240 images whose order under every sort and filter is known: the truth that the
// Library's paging tests compare pages against.
import type { ImageSortKey } from '../../../src-shared/apiTypes.ts'
import type { ImageTableQuery, Store } from '../../../src-main/store/index.ts'
import { seed } from './fixtures.ts'

export const sha = (n: number) => n.toString(16).padStart(64, '0')
const RANK: Record<string, number> = { failed: 0, pending: 1, done: 2, skipped: 3 }

export interface Truth {
  id: number
  path: string
  status: string
  error: boolean
  gate: number | null
  area: number | null
  classes: number[]
  review: string
  edited: boolean
}

/** 240 images with many ties: gate in steps of 0.1, most areas 0, some pending, failed or without a gate. */
export function populate(store: Store): { sourceId: number; runId: number; truth: Truth[] } {
  const { source, run, image: first } = seed(store)
  const truth: Truth[] = [{ id: first.id, path: 'a.jpg', status: 'pending', error: false, gate: null, area: null, classes: [], review: 'unreviewed', edited: false }]
  for (let k = 0; k < 240; k++) {
    const path = `strip-${String((k * 37) % 240).padStart(3, '0')}.jpg`
    const { image } = store.images.upsert({ sourceId: source.id, relativePath: path, byteSize: 10, mtimeMs: 1, sha256: sha(k + 1) })
    if (k % 11 === 0) {
      truth.push({ id: image.id, path, status: 'pending', error: false, gate: null, area: null, classes: [], review: 'unreviewed', edited: false })
      continue
    }
    if (k % 13 === 0) {
      store.images.markFailed(image.id, 'truncated JPEG')
      truth.push({ id: image.id, path, status: 'failed', error: true, gate: null, area: null, classes: [], review: 'unreviewed', edited: false })
      continue
    }
    const gate = k % 17 === 0 ? null : Math.round(((k * 7) % 11) / 10 * 10) / 10
    const areas = [1, 2, 3, 4].map((c) => ((k + c) % 6 === 0 ? 100 * ((k % 3) + 1) : 0))
    store.predictions.save({
      runId: run.id,
      imageId: image.id,
      imageSha256: sha(k + 1),
      gateProbability: gate === null ? null : Math.min(gate, 1),
      gatePassed: true,
      classStats: areas.map((a, c) => ({ classId: c + 1, areaImagePx: a, maxProbability: 0.5, disagreement: null })),
      probMaps: null,
      masks: [],
    })
    store.images.markDone(image.id, { width: 1600, height: 256 })
    truth.push({
      id: image.id, path, status: 'done', error: false, gate: gate === null ? null : Math.min(gate, 1),
      area: areas.reduce((s, a) => s + a, 0), classes: areas.flatMap((a, c) => (a > 0 ? [c + 1] : [])),
      ...reviewState(store, image.id, k, run.id),
    })
  }
  return { sourceId: source.id, runId: run.id, truth }
}

/** Reviews (the latest counts) and edits, some handed back to the model, on a share of the images. */
function reviewState(store: Store, imageId: number, k: number, runId: number): Pick<Truth, 'review' | 'edited'> {
  const statuses = ['accepted', 'flagged', 'rejected', 'accepted'] as const
  let review = 'unreviewed'
  if (k % 5 === 0) store.reviews.record({ imageId, status: 'flagged', author: 'ana' })
  if (k % 3 === 0 || k % 5 === 0) store.reviews.record({ imageId, status: (review = statuses[k % 4]), author: 'bo' })
  const edit = (origin: 'human' | 'model') =>
    store.edits.record({ imageId, classId: 2, beforeRle: '', afterRle: '1 5', tool: 'brush', author: 'ana', runId, origin })
  if (k % 4 === 1) edit('human')
  if (k % 8 === 1) edit('model') // Revert to model: no longer edited
  return { review, edited: k % 4 === 1 && k % 8 !== 1 }
}

export type Filter = Pick<ImageTableQuery, 'statuses' | 'classIds' | 'gateMin' | 'gateMax' | 'hasError' | 'review'>

export function reference(truth: readonly Truth[], key: ImageSortKey, isDescending: boolean, filter: Filter): number[] {
  const rows = truth.filter(
    (t) =>
      (!filter.statuses?.length || filter.statuses.includes(t.status as never)) &&
      (!filter.classIds?.length || filter.classIds.some((c) => t.classes.includes(c))) &&
      (filter.gateMin == null || (t.gate !== null && t.gate >= filter.gateMin)) &&
      (filter.gateMax == null || (t.gate !== null && t.gate <= filter.gateMax)) &&
      (filter.hasError == null || t.error === filter.hasError) &&
      (filter.review == null || (filter.review === 'edited' ? t.edited : t.review === filter.review)),
  )
  const sign = isDescending ? -1 : 1
  const byPath = (a: Truth, b: Truth) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  if (key === 'name') return rows.sort((a, b) => sign * byPath(a, b)).map((t) => t.id)
  if (key === 'status') return rows.sort((a, b) => sign * (RANK[a.status] - RANK[b.status] || byPath(a, b))).map((t) => t.id)
  const value = (t: Truth) => (key === 'gateProbability' ? t.gate : t.area)
  const withValue = rows.filter((t) => value(t) !== null).sort((a, b) => sign * (value(a)! - value(b)! || a.id - b.id))
  const without = rows.filter((t) => value(t) === null).sort(byPath)
  return [...withValue, ...without].map((t) => t.id)
}

export const FILTERS: [string, Filter][] = [
  ['no filter', {}],
  ['status done or failed', { statuses: ['done', 'failed'] }],
  ['class 2 or 4', { classIds: [2, 4] }],
  ['gate in [0.3, 0.7]', { gateMin: 0.3, gateMax: 0.7 }],
  ['errors only', { hasError: true }],
  ['no errors, status pending or done, class 1', { hasError: false, statuses: ['pending', 'done'], classIds: [1] }],
  ['flagged', { review: 'flagged' }],
  ['unreviewed', { review: 'unreviewed' }],
  ['edited', { review: 'edited' }],
  ['accepted, status done, class 2 or 3', { review: 'accepted', statuses: ['done'], classIds: [2, 3] }],
  ['unreviewed, no errors', { review: 'unreviewed', hasError: false }],
]
export const SORTS: ImageSortKey[] = ['name', 'status', 'gateProbability', 'defectArea']
export const LIMIT = 7
