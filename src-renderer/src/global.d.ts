// What the page finds on window: the contract (from the preload in Electron, from the bridge
// script on the web host) and, in the desktop app only, the path of a dropped folder.
/// <reference types="vite/client" />
import type { CoilscopeApi } from '../../src-shared/api.ts'

declare global {
  interface Window {
    coilscope?: CoilscopeApi
    coilscopeDesktop?: { pathForFile(file: File): string }
  }
}

export {}
