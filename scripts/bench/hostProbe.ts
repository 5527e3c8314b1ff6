// How promptly the host answers while it works: a second client on `coilscope serve`'s socket asks
// for getAppInfo (no store, no files) every `everyMs` and keeps each round trip with its time, so a
// blocked event loop in the host shows as a long round trip at the moment it happened.
import WebSocket from 'ws'

export interface Ping {
  readonly atMs: number
  readonly roundTripMs: number
}

export class HostProbe {
  readonly pings: Ping[] = []
  readonly #socket: WebSocket
  readonly #timer: ReturnType<typeof setInterval>
  readonly #sent = new Map<number, number>()
  #nextId = 1

  private constructor(socket: WebSocket, everyMs: number) {
    this.#socket = socket
    socket.on('message', (data) => {
      const { id } = JSON.parse(String(data)) as { id?: number }
      const sentAt = id === undefined ? undefined : this.#sent.get(id)
      if (sentAt === undefined) return
      this.#sent.delete(id!)
      this.pings.push({ atMs: Date.now(), roundTripMs: performance.now() - sentAt })
    })
    this.#timer = setInterval(() => {
      const id = this.#nextId++
      this.#sent.set(id, performance.now())
      socket.send(JSON.stringify({ id, method: 'getAppInfo' }))
    }, everyMs)
  }

  /** Connects to the host behind `pageUrl` (the URL serve printed, token included). */
  static async start(pageUrl: string, everyMs = 200): Promise<HostProbe> {
    const url = new URL(pageUrl)
    const socket = new WebSocket(`ws://${url.host}/coilscope-socket?token=${url.searchParams.get('token')}`, { origin: url.origin })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    return new HostProbe(socket, everyMs)
  }

  /** Round trips of the pings answered between two times (ms since the epoch). */
  between(fromMs: number, toMs: number): number[] {
    return this.pings.filter((p) => p.atMs >= fromMs && p.atMs <= toMs).map((p) => p.roundTripMs)
  }

  /** Resolves once the host has answered promptly (under `promptMs`) for `forMs`, or after `capMs`. */
  async settled(forMs = 2000, promptMs = 250, capMs = 30_000): Promise<void> {
    const deadline = Date.now() + capMs
    const since = Date.now()
    while (Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 250))
      const recent = this.between(Date.now() - forMs, Date.now())
      if (Date.now() - since >= forMs && recent.length > 0 && recent.every((ms) => ms < promptMs)) return
    }
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#socket.close()
  }
}
