// The built renderer as files, for both hosts (Electron's app:// protocol and the web host): only
// what lies inside its folder, with a content type.
import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export interface RendererFile {
  readonly contentType: string
  readonly body: Buffer
  readonly isPage: boolean
}

/** The file at a URL path ('/' is index.html); null if it is missing or outside the folder. */
export async function readRendererFile(rendererDir: string, urlPath: string): Promise<RendererFile | null> {
  const root = resolve(rendererDir)
  let relative: string
  try {
    relative = decodeURIComponent(urlPath === '/' || urlPath === '' ? '/index.html' : urlPath)
  } catch {
    return null
  }
  const file = resolve(root, `.${relative}`)
  if (!file.startsWith(root + sep)) return null
  const body = await readFile(file).catch(() => null)
  if (!body) return null
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  return { contentType: type, body, isPage: type.startsWith('text/html') }
}
