// The sandboxed preload: window.coilscope with one function per API method and one subscription per
// event, each on its own `coilscope:` channel; a channel outside the contract is refused. Built as
// CommonJS (sandboxed preloads must be), so it bundles the method list and nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { API_EVENTS, API_METHODS, eventChannel, methodChannel, subscriptionName, type ApiResult } from '../../src-shared/api.ts'

const METHOD_CHANNELS: ReadonlySet<string> = new Set(API_METHODS.map(methodChannel))

async function invoke(channel: string, input: unknown): Promise<unknown> {
  if (!METHOD_CHANNELS.has(channel)) throw new Error(`refused: ${channel} is not a Coilscope channel`)
  const result = (await ipcRenderer.invoke(channel, input)) as ApiResult
  if (!result.ok) throw new Error(result.error)
  return result.value
}

const api: Record<string, unknown> = {}
for (const method of API_METHODS) api[method] = (input?: unknown) => invoke(methodChannel(method), input)
for (const event of API_EVENTS) {
  api[subscriptionName(event)] = (listener: (payload: unknown) => void) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(eventChannel(event), handler)
    return () => {
      ipcRenderer.removeListener(eventChannel(event), handler)
    }
  }
}

contextBridge.exposeInMainWorld('coilscope', api)
// A dropped folder's path, which the sandboxed page cannot see; the page then opens it like any other.
contextBridge.exposeInMainWorld('coilscopeDesktop', {
  pathForFile: (file: Parameters<typeof webUtils.getPathForFile>[0]) => webUtils.getPathForFile(file),
})
