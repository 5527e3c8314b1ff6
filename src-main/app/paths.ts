// Where the app keeps its database and finds model sets, the same for every front door, so the
// desktop app and `coilscope serve` open the same library by default.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** models/ of the repository (or, in the Electron bundle out/main/, of the app folder). */
export const REPO_MODELS_ROOT = fileURLToPath(new URL('../../models', import.meta.url))

/** The per-user data folder, where Electron's userData for "Coilscope" would be. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Coilscope')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Coilscope')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Coilscope')
}

export function defaultDatabasePath(): string {
  return join(defaultDataDir(), 'coilscope.db')
}
