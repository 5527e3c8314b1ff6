// The Review screen's working state kept outside the screen: where the reviewer is, the thresholds
// they moved (saved or not), the tool and the zoom. Kept in the tab's sessionStorage, so leaving
// the screen or reloading the page comes back to the same place; parsed defensively, because a
// stored value may come from an older version of the app.
import type { Viewport } from '../../../src-shared/coordinates.ts'
import type { ThresholdProfile } from '../../../src-shared/thresholdProfile.ts'

export const REVIEW_SESSION_KEY = 'coilscope.review'

export interface ReviewSession {
  readonly runId: number
  readonly sourceId: number
  readonly imageId: number | null
  /** The thresholds on screen, including changes not saved as a profile. */
  readonly profile: ThresholdProfile | null
  readonly tool: string
  readonly selectedClass: number
  readonly brushRadius: number
  /** The zoom, and the image and viewer width it was set for (another image fits again). */
  readonly viewport: { readonly imageId: number; readonly viewerWidth: number; readonly viewport: Viewport } | null
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n))

function parseProfile(value: unknown): ThresholdProfile | null {
  const p = value as Partial<ThresholdProfile> | null
  if (!p || typeof p.name !== 'string' || !isNumberArray(p.upper) || !isNumberArray(p.lower) || !isNumberArray(p.minAreaModelPx)) return null
  if (p.gate !== null && typeof p.gate !== 'number') return null
  return { name: p.name, gate: p.gate ?? null, upper: p.upper, lower: p.lower, minAreaModelPx: p.minAreaModelPx }
}

/** The stored session, or null when there is none or it cannot be read. */
export function readReviewSession(storage: KeyValueStore | null): ReviewSession | null {
  try {
    const raw = storage?.getItem(REVIEW_SESSION_KEY)
    if (!raw) return null
    const s = JSON.parse(raw) as Partial<ReviewSession>
    if (typeof s.runId !== 'number' || typeof s.sourceId !== 'number') return null
    const v = s.viewport
    const isViewport = !!v && typeof v.imageId === 'number' && typeof v.viewerWidth === 'number' && [v.viewport?.scale, v.viewport?.offsetX, v.viewport?.offsetY].every((n) => typeof n === 'number' && Number.isFinite(n))
    return {
      runId: s.runId,
      sourceId: s.sourceId,
      imageId: typeof s.imageId === 'number' ? s.imageId : null,
      profile: parseProfile(s.profile),
      tool: typeof s.tool === 'string' ? s.tool : 'pan',
      selectedClass: typeof s.selectedClass === 'number' ? s.selectedClass : 1,
      brushRadius: typeof s.brushRadius === 'number' ? s.brushRadius : 8,
      viewport: isViewport ? v! : null,
    }
  } catch {
    return null
  }
}

export function writeReviewSession(storage: KeyValueStore | null, session: ReviewSession | null): void {
  if (!storage || !session) return
  try {
    storage.setItem(REVIEW_SESSION_KEY, JSON.stringify(session))
  } catch {
    // A full or disabled storage only loses the convenience, not the work (edits are in the store).
  }
}

/** The reviewer's standing preferences (this browser, all tabs): kept in localStorage. */
export const REVIEW_PREFERENCES_KEY = 'coilscope.review.preferences'

export interface ReviewPreferences {
  /** Accept, reject or flag moves on to the next image in the queue. */
  readonly advanceAfterTriage: boolean
}

export const DEFAULT_REVIEW_PREFERENCES: ReviewPreferences = { advanceAfterTriage: true }

export function readReviewPreferences(storage: KeyValueStore | null): ReviewPreferences {
  try {
    const stored = JSON.parse(storage?.getItem(REVIEW_PREFERENCES_KEY) ?? '{}') as Partial<ReviewPreferences>
    return { advanceAfterTriage: typeof stored.advanceAfterTriage === 'boolean' ? stored.advanceAfterTriage : DEFAULT_REVIEW_PREFERENCES.advanceAfterTriage }
  } catch {
    return DEFAULT_REVIEW_PREFERENCES
  }
}

export function writeReviewPreferences(storage: KeyValueStore | null, preferences: ReviewPreferences): void {
  try {
    storage?.setItem(REVIEW_PREFERENCES_KEY, JSON.stringify(preferences))
  } catch {
    // as above: only the convenience is lost
  }
}
