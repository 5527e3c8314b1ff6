// The sandboxed preload: exposes window.coilscope to the renderer. The API arrives with the app.
import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('coilscope', {})
