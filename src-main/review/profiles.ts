// Threshold profiles kept in the store's settings: the named set, and which one applies to a run.
// A run without an applied profile uses the settings it was made with.
import { runDefaultProfile, type ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { JsonValue, Store } from '../store/index.ts'

const PROFILES_KEY = 'thresholdProfiles'
const runKey = (runId: number) => `runProfile:${runId}`

export function listProfiles(store: Store): ThresholdProfile[] {
  return (store.settings.get(PROFILES_KEY) as unknown as ThresholdProfile[] | undefined) ?? []
}

/** Adds or replaces the profile with this name. */
export function saveProfile(store: Store, profile: ThresholdProfile): void {
  const others = listProfiles(store).filter((p) => p.name !== profile.name)
  store.settings.set(PROFILES_KEY, [...others, profile] as unknown as JsonValue)
}

/** Applies a saved profile to a run, or resets the run to its own settings with null. */
export function applyProfile(store: Store, runId: number, name: string | null): void {
  if (name === null) {
    store.settings.delete(runKey(runId))
    return
  }
  if (!listProfiles(store).some((p) => p.name === name)) throw new Error(`no threshold profile named "${name}"`)
  store.settings.set(runKey(runId), name)
}

/** The profile in force for a run. */
export function profileForRun(store: Store, runId: number): ThresholdProfile {
  const run = store.runs.get(runId)
  if (!run) throw new Error(`no run ${runId}`)
  const name = store.settings.get(runKey(runId))
  return listProfiles(store).find((p) => p.name === name) ?? runDefaultProfile(run)
}

/**
 * When the profile in force for a run last changed — a profile applied to it, or the applied
 * profile saved again — or null when the run has always used its own settings.
 */
export function profileChangedAtMs(store: Store, runId: number): number | null {
  const appliedAt = store.settings.updatedAtMs(runKey(runId))
  if (appliedAt === undefined) return null
  return Math.max(appliedAt, store.settings.updatedAtMs(PROFILES_KEY) ?? 0)
}
