// The web host: the built renderer, the bridge script, /coil/… binary data and the API over one
// WebSocket, on one port. Only the names this host is known by are served (Host checked); the page,
// the socket and every /coil/ URL must carry the session token; the renderer's own files are the
// same for everyone and need none.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { MAX_API_MESSAGE_BYTES } from '../../src-shared/apiSchemas.ts'
import type { AppService } from '../app/appService.ts'
import { RENDERER_CSP_HEADER } from '../app/contentSecurity.ts'
import { readRendererFile } from '../app/rendererFiles.ts'
import { BRIDGE_SCRIPT_PATH, bridgeScript, SOCKET_PATH } from './bridgeClient.ts'
import { attachment, type WebExportFolder } from './exportFolder.ts'
import { allowedHosts, isAllowedHost, isAllowedOrigin } from './hostCheck.ts'
import { isSameToken, newToken, OneTimeCodes } from './sessionToken.ts'
import { serveSocket } from './socketBridge.ts'

export interface WebHostOptions {
  readonly service: AppService
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  /** The session token; the service's resourceBase must be coilBase(token). */
  readonly token?: string
  /** Where to say that a socket was closed for a bad frame (the host goes on). */
  readonly onSocketError?: (message: string) => void
  /** Where the service writes exports; served for download at coilBase(token) + 'export/<id>'. */
  readonly exportFolder?: WebExportFolder
}

export interface WebHost {
  /** The URL to open, token included. */
  readonly url: string
  readonly port: number
  readonly token: string
  /** A URL that opens the page once within a minute, without the token in it (for `--open`). */
  oneTimeUrl(): string
  close(): Promise<void>
}

const COMMON_HEADERS = {
  'content-security-policy': RENDERER_CSP_HEADER,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}
const TEXT = 'text/plain; charset=utf-8'
const NO_TOKEN = 'Coilscope: open the URL printed by `coilscope serve` (it carries the session token).'

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken()
  const { service } = options
  const script = bridgeScript()
  const codes = new OneTimeCodes()
  let hosts = new Set<string>()

  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => send(response, 500, TEXT, (error as Error).message))
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_API_MESSAGE_BYTES })
  const stopEvents = serveSocket(sockets, service, options.onSocketError)

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isAllowedHost(request.headers.host, hosts)) return send(response, 421, TEXT, 'Coilscope: this host name is not served (open the printed URL).')
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, TEXT, 'method not allowed')
    const url = new URL(request.url ?? '/', 'http://localhost')
    const path = url.pathname
    if (path === BRIDGE_SCRIPT_PATH) return send(response, 200, 'text/javascript; charset=utf-8', script, { 'cache-control': 'no-store' })
    if (path.startsWith('/coil/')) {
      const [presented, ...rest] = path.slice('/coil/'.length).split('/')
      if (!isSameToken(presented, token)) return send(response, 401, TEXT, NO_TOKEN)
      if (rest[0] === 'export' && rest.length === 2) return sendExport(response, rest[1])
      const resource = await service.resources.respond(rest.join('/'))
      return send(response, resource.status, resource.contentType, resource.body, resource.headers)
    }
    const code = url.searchParams.get('code')
    if (code !== null) {
      if (!codes.redeem(code)) return send(response, 401, TEXT, 'Coilscope: this link was used already or is out of date; open the URL printed by `coilscope serve`.')
      return send(response, 303, TEXT, '', { location: `/?token=${token}`, 'cache-control': 'no-store' })
    }
    const file = await readRendererFile(options.rendererDir, path)
    if (!file) return send(response, 404, TEXT, 'not found')
    if (!file.isPage) return send(response, 200, file.contentType, file.body, { 'cache-control': 'no-cache' })
    if (!isSameToken(url.searchParams.get('token'), token)) return send(response, 401, TEXT, NO_TOKEN)
    return send(response, 200, file.contentType, withBridge(file.body.toString('utf8')), { 'cache-control': 'no-store' })
  }

  async function sendExport(response: ServerResponse, id: string): Promise<void> {
    const file = await options.exportFolder?.read(id)
    if (!file) return send(response, 404, TEXT, 'no such export')
    send(response, 200, 'application/octet-stream', file.body, { 'content-disposition': attachment(file.fileName), 'cache-control': 'no-store' })
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const isAllowed =
      url.pathname === SOCKET_PATH &&
      isAllowedHost(request.headers.host, hosts) &&
      isAllowedOrigin(request.headers.origin, hosts) &&
      isSameToken(url.searchParams.get('token'), token)
    if (!isAllowed) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  hosts = allowedHosts(options.host, port)
  const origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`
  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    oneTimeUrl: () => `${origin}/?code=${codes.issue()}`,
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
