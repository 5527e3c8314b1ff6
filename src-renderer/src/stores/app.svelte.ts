// The shell's state: which screen is shown, the theme, the host's facts and settings, and notices
// for the user. Commands from the application menu arrive here.
import type { AppInfo, CoilscopeApi, CommandRequest, Settings, Theme } from '../../../src-shared/api.ts'
import { coilUrl, type CoilRequest } from '../../../src-shared/coilUrl.ts'

export const SCREENS = ['library', 'review', 'export', 'compare'] as const
export type Screen = (typeof SCREENS)[number]

/**
 * How the web host's bridge words a lost connection (src-main/web/bridgeClient.ts): such a failure
 * is the host being away, shown as one lasting state rather than a toast per call.
 */
const CONNECTION_LOST = /connection to Coilscope was lost|cannot connect to Coilscope/
const RECONNECT_POLL_MS = 1500

export function isConnectionLost(error: unknown): boolean {
  return error instanceof Error && CONNECTION_LOST.test(error.message)
}

export interface Notice {
  readonly id: number
  readonly kind: 'error' | 'info'
  readonly text: string
}

export class AppState {
  screen = $state<Screen>('library')
  info = $state.raw<AppInfo | null>(null)
  settings = $state.raw<Settings | null>(null)
  notices = $state.raw<Notice[]>([])
  isShortcutsOpen = $state(false)
  /** The "Who is reviewing?" dialog: asked before the first review, opened again from the top bar. */
  isReviewerOpen = $state(false)
  /** The image the Library handed to Review (Enter on a row). */
  reviewTarget = $state.raw<{ readonly sourceId: number; readonly imageId: number } | null>(null)
  readonly theme = $derived<Theme>(this.settings?.theme ?? 'dark')
  /** Who is reviewing: recorded on every review and edit (kept in the settings). */
  readonly reviewer = $derived(this.settings?.authorName ?? '')

  /** The host is unreachable (the web host stopped or restarting); cleared when it answers again. */
  isDisconnected = $state(false)
  /** Counts reconnections: screens that failed to load while disconnected load again when it moves. */
  connectionEpoch = $state(0)

  readonly #api: CoilscopeApi
  #nextNotice = 1
  readonly #onReconnect = new Set<() => Promise<void> | void>()

  constructor(api: CoilscopeApi) {
    this.#api = api
  }

  async load(): Promise<void> {
    ;[this.info, this.settings] = await Promise.all([this.#api.getAppInfo(), this.#api.getSettings()])
  }

  resourceUrl = (request: CoilRequest): string => coilUrl(this.info?.resourceBase ?? '/coil/', request)

  async saveSettings(change: Partial<Settings>): Promise<void> {
    this.settings = await this.#api.setSettings(change)
  }

  async reloadSettings(): Promise<void> {
    this.settings = await this.#api.getSettings()
  }

  setTheme(theme: Theme): Promise<void> {
    return this.saveSettings({ theme })
  }

  toggleTheme(): Promise<void> {
    return this.setTheme(this.theme === 'dark' ? 'light' : 'dark')
  }

  show(screen: Screen): void {
    this.screen = screen
    if (screen === 'review' && this.settings && this.reviewer === '') this.isReviewerOpen = true
  }

  openReview(sourceId: number, imageId: number): void {
    this.reviewTarget = { sourceId, imageId }
    this.show('review')
  }

  async setReviewer(name: string): Promise<void> {
    await this.saveSettings({ authorName: name.trim() })
    this.isReviewerOpen = false
  }

  /** Menu commands that only change the shell; the rest are the Library's (see LibraryScreen). */
  handleShellCommand({ command }: CommandRequest): boolean {
    if (command === 'showLibrary') this.show('library')
    else if (command === 'showReview') this.show('review')
    else if (command === 'showExport') this.show('export')
    else if (command === 'showCompare') this.show('compare')
    else if (command === 'showShortcuts') this.isShortcutsOpen = true
    else return false
    return true
  }

  notify(kind: Notice['kind'], text: string): void {
    const notice = { id: this.#nextNotice++, kind, text }
    this.notices = [...this.notices.slice(-3), notice]
    setTimeout(() => this.dismiss(notice.id), kind === 'error' ? 12_000 : 5000)
  }

  /** Runs an action and turns its failure into a notice (or, for a lost host, the disconnected state). */
  attempt = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await action()
    } catch (error) {
      if (isConnectionLost(error)) this.connectionLost()
      else this.notify('error', (error as Error).message)
      return undefined
    }
  }

  /** Called with what must be reloaded once the host answers again. */
  onReconnect(reload: () => Promise<void> | void): () => void {
    this.#onReconnect.add(reload)
    return () => this.#onReconnect.delete(reload)
  }

  /** Enters the disconnected state and asks the host, every RECONNECT_POLL_MS, until it answers. */
  connectionLost(): void {
    if (this.isDisconnected) return
    this.isDisconnected = true
    const poll = async () => {
      try {
        await this.load()
      } catch {
        setTimeout(poll, RECONNECT_POLL_MS)
        return
      }
      this.isDisconnected = false
      this.connectionEpoch++
      for (const reload of this.#onReconnect) await this.attempt(async () => reload())
    }
    setTimeout(poll, RECONNECT_POLL_MS)
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id)
  }
}
