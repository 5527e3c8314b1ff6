// The web host's stand-in for the preload: gives the page the same window.coilscope, one function
// per API method and one subscription per event, over a WebSocket instead of Electron IPC.
// installBridge is served as its own source text (see bridgeScript), so it must stay
// self-contained: no imports, nothing from module scope, only erasable type annotations.
import { API_EVENTS, API_METHODS } from '../../src-shared/api.ts'

export const SOCKET_PATH = '/coilscope-socket'
export const BRIDGE_SCRIPT_PATH = '/coilscope-bridge.js'

export interface BridgeSpec {
  readonly methods: readonly string[]
  readonly events: readonly string[]
  readonly socketPath: string
}

/** What installBridge needs of a window (a browser's, or a test's stand-in). */
export interface BridgeWindow {
  coilscope?: unknown
  readonly location: { readonly protocol: string; readonly host: string; readonly search: string }
  readonly WebSocket: typeof WebSocket
  readonly setTimeout: (callback: () => void, ms: number) => unknown
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

export function installBridge(target: BridgeWindow, spec: BridgeSpec): void {
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>(spec.events.map((e) => [e, new Set()]))
  let nextId = 1
  let socket: Promise<WebSocket>

  const connect = (): void => {
    const token = new URLSearchParams(target.location.search).get('token')
    const scheme = target.location.protocol === 'https:' ? 'wss:' : 'ws:'
    const url = `${scheme}//${target.location.host}${spec.socketPath}${token ? `?token=${encodeURIComponent(token)}` : ''}`
    const ws = new target.WebSocket(url)
    socket = new Promise((resolve, reject) => {
      ws.onopen = () => resolve(ws)
      ws.onerror = () => reject(new Error('cannot connect to Coilscope'))
    })
    socket.catch(() => undefined)
    ws.onmessage = (message) => {
      const data = JSON.parse(String(message.data))
      if (typeof data.event === 'string') {
        for (const listener of listeners.get(data.event) ?? []) listener(data.payload)
        return
      }
      const call = pending.get(data.id)
      pending.delete(data.id)
      if (!call) return
      if (data.result.ok) call.resolve(data.result.value)
      else call.reject(new Error(data.result.error))
    }
    ws.onclose = () => {
      for (const call of pending.values()) call.reject(new Error('the connection to Coilscope was lost'))
      pending.clear()
      target.setTimeout(connect, 1000) // the host restarted, or the machine slept: try again
    }
  }
  connect()

  const api: Record<string, unknown> = {}
  for (const method of spec.methods) {
    api[method] = (input?: unknown) =>
      socket.then(
        (ws) =>
          new Promise((resolve, reject) => {
            const id = nextId++
            pending.set(id, { resolve, reject })
            ws.send(JSON.stringify({ id, method, input }))
          }),
      )
  }
  for (const event of spec.events) {
    api[`on${event[0].toUpperCase()}${event.slice(1)}`] = (listener: (payload: unknown) => void) => {
      listeners.get(event)!.add(listener)
      return () => {
        listeners.get(event)!.delete(listener)
      }
    }
  }
  target.coilscope = Object.freeze(api)
}

export const BRIDGE_SPEC: BridgeSpec = { methods: API_METHODS, events: API_EVENTS, socketPath: SOCKET_PATH }

/** The script the web host serves at BRIDGE_SCRIPT_PATH. */
export function bridgeScript(spec: BridgeSpec = BRIDGE_SPEC): string {
  return `'use strict';\n(${installBridge.toString()})(window, ${JSON.stringify(spec)});\n`
}
