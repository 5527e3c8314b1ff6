// The application menu as data: File (Open Folder…, Open Recent, Export…, Quit), Edit, View (the
// three screens), Help, with each platform's shortcuts (Cmd on macOS, Ctrl elsewhere; the app menu
// and Cmd+Q on macOS). Items that mirror a button in the page send the same command to the page.
import type { MenuItemConstructorOptions } from 'electron'
import type { CommandRequest } from '../../src-shared/apiTypes.ts'

export interface MenuActions {
  /** Hands a command to the page. */
  readonly request: (command: CommandRequest) => void
  readonly clearRecent: () => void
  readonly showAbout: () => void
}

export function menuTemplate(platform: NodeJS.Platform, recentFolders: readonly string[], actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  const send = (command: CommandRequest['command'], path: string | null = null) => () => actions.request({ command, path })
  const recent: MenuItemConstructorOptions[] =
    recentFolders.length === 0
      ? [{ label: 'No recent folders', enabled: false }]
      : [
          ...recentFolders.map((folder) => ({ label: folder, click: send('openPath', folder) })),
          { type: 'separator' as const },
          { label: 'Clear Recent', click: actions.clearRecent },
        ]
  const about: MenuItemConstructorOptions = { label: 'About Coilscope', click: actions.showAbout }
  return [
    ...(isMac
      ? [{ label: 'Coilscope', submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions]
      : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: send('openFolder') },
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: send('showExport') },
        ...(isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const, accelerator: 'Ctrl+Q' }]),
      ],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [
        { label: 'Library', accelerator: 'CmdOrCtrl+1', click: send('showLibrary') },
        { label: 'Review', accelerator: 'CmdOrCtrl+2', click: send('showReview') },
        { label: 'Export', accelerator: 'CmdOrCtrl+3', click: send('showExport') },
        { label: 'Compare', accelerator: 'CmdOrCtrl+4', click: send('showCompare') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'Keyboard Shortcuts', accelerator: isMac ? 'Cmd+/' : 'F1', click: send('showShortcuts') }, ...(isMac ? [] : [{ type: 'separator' as const }, about])],
    },
  ]
}
