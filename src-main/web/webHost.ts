// The web host: the built renderer, the bridge script, /coil/… binary data and the API over one
// WebSocket, on one port. Every request and socket must present the session token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { MAX_API_MESSAGE_BYTES } from '../../src-shared/apiSchemas.ts'
import type { AppService } from '../app/appService.ts'
import { RENDERER_CSP_HEADER } from '../app/contentSecurity.ts'
import { readRendererFile } from '../app/rendererFiles.ts'
import { BRIDGE_SCRIPT_PATH, bridgeScript, SOCKET_PATH } from './bridgeClient.ts'
import { isSameToken, newToken, presentedToken, tokenCookie } from './sessionToken.ts'
import { serveSocket } from './socketBridge.ts'

export interface WebHostOptions {
  readonly service: AppService
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  readonly token?: string
  /** Where to say that a socket was closed for a bad frame (the host goes on). */
  readonly onSocketError?: (message: string) => void
}

export interface WebHost {
  /** The URL to open, token included. */
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

const COMMON_HEADERS = {
  'content-security-policy': RENDERER_CSP_HEADER,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken()
  const { service } = options
  const script = bridgeScript()
  let port = 0

  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => send(response, 500, 'text/plain; charset=utf-8', (error as Error).message))
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_API_MESSAGE_BYTES })
  const stopEvents = serveSocket(sockets, service, options.onSocketError)

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const presented = presentedToken(request, port)
    if (!isSameToken(presented.token, token)) return send(response, 401, 'text/plain; charset=utf-8', 'Coilscope: open the URL printed by `coilscope serve` (it carries the session token).')
    if (presented.isFromQuery) response.setHeader('set-cookie', tokenCookie(port, token))
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed')
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path === BRIDGE_SCRIPT_PATH) return send(response, 200, 'text/javascript; charset=utf-8', script, { 'cache-control': 'no-store' })
    if (path.startsWith('/coil/')) {
      const resource = await service.resources.respond(path.slice('/coil/'.length))
      return send(response, resource.status, resource.contentType, resource.body, resource.headers)
    }
    const file = await readRendererFile(options.rendererDir, path)
    if (!file) return send(response, 404, 'text/plain; charset=utf-8', 'not found')
    if (file.isPage) return send(response, 200, file.contentType, withBridge(file.body.toString('utf8')), { 'cache-control': 'no-store' })
    return send(response, 200, file.contentType, file.body, { 'cache-control': 'no-cache' })
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const origin = request.headers.origin
    // Browsers always send Origin on sockets; a page of another site must not reach this one.
    const isForeign = origin !== undefined && origin !== `http://${request.headers.host}`
    if (path !== SOCKET_PATH || isForeign || !isSameToken(presentedToken(request, port).token, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${hostInUrl}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      stopEvents()
      for (const ws of sockets.clients) ws.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Puts the bridge's script tag before the page's first script, so window.coilscope is there first. */
export function withBridge(html: string): string {
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>\n    `
  const at = html.indexOf('<script')
  return at < 0 ? html.replace('</head>', `${tag}</head>`) : html.slice(0, at) + tag + html.slice(at)
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  if (response.headersSent) return void response.end()
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': contentType, ...headers })
  response.end(response.req.method === 'HEAD' ? undefined : body)
}
