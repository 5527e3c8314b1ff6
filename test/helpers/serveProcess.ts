// The real `coilscope serve` in a child process for the web host's tests: its URL, a WebSocket
// client that carries the session token, one API call over it, and whether the process still runs.
import { spawn, type ChildProcess } from 'node:child_process'
import { WebSocket } from 'ws'

const BIN = new URL('../../bin/coilscope.js', import.meta.url).pathname

export interface ServeProcess {
  readonly child: ChildProcess
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly port: number
  /** What serve wrote on stderr so far. */
  stderr(): string
  isAlive(): boolean
  stop(): Promise<number | null>
}

export async function startServe(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    child.stdout.on('data', (d) => {
      stdout += d
      const match = /http:\/\/\S+token=\S+/.exec(stdout)
      if (match) resolve(match[0])
    })
    child.once('exit', (code) => reject(new Error(`coilscope serve exited with ${code}: ${stderr}`)))
  })
  const parsed = new URL(url)
  return {
    child,
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    port: Number(parsed.port),
    stderr: () => stderr,
    isAlive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
        child.once('exit', (code) => resolve(code))
        child.kill('SIGTERM')
      }),
  }
}

/** A socket to the host's API with the token; resolves once open. */
export function openSocket(served: ServeProcess, options: { maxPayload?: number } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${served.port}/coilscope-socket?token=${served.token}`, { maxPayload: options.maxPayload ?? 64 << 20 })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

export interface Answer {
  readonly id: number
  readonly result: { ok: true; value: unknown } | { ok: false; error: string }
}

let nextId = 1

/** Sends one call and waits for its answer (events in between are skipped). */
export function call(ws: WebSocket, method: string, input?: unknown): Promise<Answer> {
  const id = nextId++
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(String(data))
      if (message.id !== id) return
      ws.off('message', onMessage)
      ws.off('close', onClose)
      resolve(message)
    }
    const onClose = (code: number, reason: Buffer) => {
      ws.off('message', onMessage)
      reject(new Error(`socket closed (${code} ${reason}) before answering ${method}`))
    }
    ws.on('message', onMessage)
    ws.once('close', onClose)
    ws.send(JSON.stringify({ id, method, input }))
  })
}

/** Resolves with the close code and reason the host sent. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })))
}
