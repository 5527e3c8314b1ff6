// Main's side of the contract over Electron IPC: one handler per API method on its own channel,
// answering only the app's own page, and every app event sent to the window.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { API_METHODS, eventChannel, methodChannel, type ApiMethods, type ApiResult } from '../../src-shared/api.ts'
import { dispatch } from '../app/dispatch.ts'
import type { EventHub } from '../app/events.ts'

export function registerApiHandlers(ipcMain: IpcMain, methods: ApiMethods, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  for (const method of API_METHODS) {
    ipcMain.handle(methodChannel(method), (event, input: unknown): Promise<ApiResult> | ApiResult =>
      isTrustedSender(event) ? dispatch(methods, method, input) : { ok: false, error: 'refused: not the Coilscope page' },
    )
  }
}

export function forwardEvents(events: EventHub, contents: WebContents): () => void {
  const stop = events.onAny((event, payload) => {
    if (!contents.isDestroyed()) contents.send(eventChannel(event), payload)
  })
  contents.once('destroyed', stop)
  return stop
}
