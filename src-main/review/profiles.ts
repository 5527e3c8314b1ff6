// Threshold profiles: versioned records in the store (a save appends a version) and, per run, the
// version in force. A run without an applied profile uses the settings it was made with. Every
// profile handed out carries its version, so whatever uses it can say which one it was.
import { runDefaultProfile, type ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { ProfileVersionRecord, Store } from '../store/index.ts'

/** Who saved or applied a profile when the caller does not say (the CLI and older callers). */
export const DEFAULT_PROFILE_AUTHOR = 'inspector'

export function toThresholdProfile(record: ProfileVersionRecord): ThresholdProfile {
  return { name: record.name, version: record.version, ...record.content }
}

/** The latest version of every saved profile. */
export function listProfiles(store: Store): ThresholdProfile[] {
  return store.profiles.listLatest().map(toThresholdProfile)
}

/** Saves a new version of the profile with this name (the same content again keeps the latest). */
export function saveProfile(store: Store, profile: ThresholdProfile, author = DEFAULT_PROFILE_AUTHOR): ThresholdProfile {
  const { gate, upper, lower, minAreaModelPx } = profile
  return toThresholdProfile(store.profiles.save(profile.name, { gate, upper: [...upper], lower: [...lower], minAreaModelPx: [...minAreaModelPx] }, author))
}

/** Applies the latest version of a saved profile to a run, or resets the run to its own settings with null. */
export function applyProfile(store: Store, runId: number, name: string | null, author = DEFAULT_PROFILE_AUTHOR): void {
  if (!store.runs.get(runId)) throw new Error(`no run ${runId}`)
  if (name === null) {
    if (store.profiles.forRun(runId)) store.profiles.applyToRun(runId, null, author)
    return
  }
  const saved = store.profiles.find(name)
  if (!saved) throw new Error(`no threshold profile named "${name}"`)
  store.profiles.applyToRun(runId, saved.id, author)
}

/** The profile in force for a run (the exact version applied), else the run's own settings. */
export function profileForRun(store: Store, runId: number): ThresholdProfile {
  const run = store.runs.get(runId)
  if (!run) throw new Error(`no run ${runId}`)
  const applied = store.profiles.forRun(runId)?.profile
  return applied ? toThresholdProfile(applied) : runDefaultProfile(run)
}

/**
 * A profile by reference: "name" (latest version), "name@3" (that version), or the run's own
 * settings by their name. Throws naming the profiles there are.
 */
export function resolveProfileRef(store: Store, run: { readonly postprocess: unknown; readonly gateThreshold: number | null }, ref: string): ThresholdProfile {
  const own = runDefaultProfile(run)
  if (ref === own.name) return own
  const at = /^(.*)@(\d+)$/.exec(ref)
  const found = at ? store.profiles.find(at[1], Number(at[2])) : store.profiles.find(ref)
  if (found) return toThresholdProfile(found)
  const names = [own.name, ...store.profiles.listAll().map((p) => `${p.name}@${p.version}`)].map((n) => `"${n}"`).join(', ')
  throw new Error(`no threshold profile named "${ref}"; profiles: ${names}`)
}

/**
 * When the profile in force for a run last changed — a profile version applied to it, or the run
 * reset to its own settings — or null when the run has always used its own settings.
 */
export function profileChangedAtMs(store: Store, runId: number): number | null {
  return store.profiles.forRun(runId)?.createdAtMs ?? null
}
