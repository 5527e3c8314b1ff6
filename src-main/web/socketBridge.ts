// The API over WebSocket: each message {id, method, input} is dispatched like an IPC call and
// answered {id, result}; every app event is pushed to every socket as {event, payload}. A frame the
// socket refuses (too large, invalid UTF-8, not a call) closes that socket with a reason; the host
// and its other sockets go on.
import type { WebSocket, WebSocketServer } from 'ws'
import type { AppService } from '../app/appService.ts'
import { dispatch } from '../app/dispatch.ts'

export function serveSocket(sockets: WebSocketServer, service: AppService, onSocketError: (message: string) => void = () => undefined): () => void {
  sockets.on('connection', (ws: WebSocket) => {
    // ws has already closed the socket with the matching code (1009, 1007, 1002) when this fires.
    ws.on('error', (error) => onSocketError(`a socket was closed: ${error.message}`))
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only')
      let call: { id?: unknown; method?: unknown; input?: unknown }
      try {
        call = JSON.parse(String(data))
      } catch {
        return ws.close(1003, 'not JSON')
      }
      if (typeof call !== 'object' || call === null || !Number.isSafeInteger(call.id)) return ws.close(1003, 'no call id')
      void dispatch(service.methods, call.method, call.input).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: call.id, result }))
      })
    })
  })
  return service.events.onAny((event, payload) => {
    const message = JSON.stringify({ event, payload })
    for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(message)
  })
}
