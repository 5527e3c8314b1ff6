// Settings over the store's key/value table: defaults for what was never set, and each stored value
// checked against the contract's schema, so a hand-edited or older value falls back to its default
// instead of reaching the renderer.
import { settingsSchema } from '../../src-shared/apiSchemas.ts'
import type { Settings } from '../../src-shared/apiTypes.ts'
import type { JsonValue, SettingsRepo } from '../store/index.ts'

export const DEFAULT_SETTINGS: Settings = {
  theme: 'dark',
  modelsRoot: null,
  authorName: '',
  windowBounds: null,
  recentFolders: [],
  lastModelSetDir: null,
  provider: 'auto',
  extraModelSetDirs: [],
}

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]
const MAX_RECENT = 10

export class SettingsService {
  readonly #repo: SettingsRepo

  constructor(repo: SettingsRepo) {
    this.#repo = repo
  }

  get(): Settings {
    const stored = this.#repo.all()
    const settings: Record<string, unknown> = {}
    for (const key of KEYS) {
      const parsed = settingsSchema.shape[key].safeParse(stored[key])
      settings[key] = parsed.success && stored[key] !== undefined ? parsed.data : DEFAULT_SETTINGS[key]
    }
    return settings as unknown as Settings
  }

  /** Writes the given keys (already validated by the caller's schema). */
  set(patch: Partial<Settings>): Settings {
    for (const key of KEYS) {
      const value = patch[key]
      if (value !== undefined) this.#repo.set(key, value as JsonValue)
    }
    return this.get()
  }

  /** Puts a folder first in the recent list. */
  addRecentFolder(folder: string): Settings {
    const recent = [folder, ...this.get().recentFolders.filter((f) => f !== folder)].slice(0, MAX_RECENT)
    return this.set({ recentFolders: recent })
  }
}
