// The API over WebSocket: each message {id, method, input} is dispatched like an IPC call and
// answered {id, result}; every app event is pushed to every socket as {event, payload}.
import type { WebSocket, WebSocketServer } from 'ws'
import type { AppService } from '../app/appService.ts'
import { dispatch } from '../app/dispatch.ts'

export function serveSocket(sockets: WebSocketServer, service: AppService): () => void {
  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => {
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
