// The main window: locked-down web preferences, its size and place remembered, and no web
// contents of the app may navigate away, open windows or attach webviews.
import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle, WebContents } from 'electron'
import type { WindowBounds } from '../../src-shared/apiTypes.ts'

export const DEFAULT_SIZE = { width: 1600, height: 960 }
export const MIN_SIZE = { minWidth: 1200, minHeight: 700 }

/**
 * Where the window opens: the remembered bounds if they are still on a screen, else a default size.
 * (The web preferences stay written out in main.ts, where a security scanner can read them.)
 */
export function windowPlacement(bounds: WindowBounds | null, workAreas: readonly Rectangle[]): BrowserWindowConstructorOptions {
  const place = bounds && workAreas.some((area) => overlaps(bounds, area)) ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : DEFAULT_SIZE
  return { ...place, ...MIN_SIZE, show: false, title: 'Coilscope', backgroundColor: '#0e1116' }
}

/** For every web contents the app creates: no navigation, no new windows, no webviews. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** Saves the window's bounds (the normal ones when maximised) after it moves or resizes. */
export function rememberBounds(window: BrowserWindow, save: (bounds: WindowBounds) => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const saveSoon = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (!window.isDestroyed()) save({ ...window.getNormalBounds(), isMaximized: window.isMaximized() })
    }, 400)
  }
  window.on('resize', saveSoon)
  window.on('move', saveSoon)
  window.on('maximize', saveSoon)
  window.on('unmaximize', saveSoon)
  window.on('close', () => {
    clearTimeout(timer)
    save({ ...window.getNormalBounds(), isMaximized: window.isMaximized() })
  })
}

function overlaps(a: WindowBounds, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}
