// The app's own version, for run records and reports. Read from the package.json above this file:
// one level up from src-main/ under Node, two from out/main/ in the Electron bundle.
import { existsSync, readFileSync } from 'node:fs'

const packageJson = ['../package.json', '../../package.json'].map((p) => new URL(p, import.meta.url)).find((url) => existsSync(url))

export const APP_VERSION: string = packageJson ? JSON.parse(readFileSync(packageJson, 'utf8')).version : '0.0.0'
