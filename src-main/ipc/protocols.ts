// The two privileged schemes: app:// serves the built renderer (with its CSP as a header, instead
// of file:// and its broad reach), coil:// serves binary data by database id.
import type { Protocol } from 'electron'
import type { CoilResources } from '../app/coilResources.ts'
import { RENDERER_CSP_HEADER } from '../app/contentSecurity.ts'
import { readRendererFile } from '../app/rendererFiles.ts'

/** The renderer's host under app://. A URL of a non-standard scheme has origin 'null' in the WHATWG
 * parser Node uses, so requests are told apart by their host, as Electron's own examples do. */
const RENDERER_HOST = 'renderer'
export const RENDERER_ORIGIN = `app://${RENDERER_HOST}`
export const RENDERER_URL = `${RENDERER_ORIGIN}/index.html`

/** Registered before the app is ready, as Electron requires. */
export const PRIVILEGED_SCHEMES = [
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: 'coil', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]

export function handleProtocols(protocol: Protocol, rendererDir: string, resources: CoilResources): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url)
    const file = url.host === RENDERER_HOST ? await readRendererFile(rendererDir, url.pathname) : null
    if (!file) return new Response('not found', { status: 404 })
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.contentType, 'content-security-policy': RENDERER_CSP_HEADER, 'x-content-type-options': 'nosniff' },
    })
  })
  protocol.handle('coil', async (request) => {
    const url = new URL(request.url) // coil://thumb/12: the kind is the host
    const resource = await resources.respond(`${url.host}${url.pathname}`)
    return new Response(new Uint8Array(resource.body), { status: resource.status, headers: { 'content-type': resource.contentType, ...resource.headers } })
  })
}
