// DNS-rebinding defence: a page of another site that points its own name at 127.0.0.1 reaches this
// port with that name in its Host header. Only the names this host is known by are served, and a
// socket's Origin (sent by every browser) must be one of them.
import { networkInterfaces } from 'node:os'

const WILDCARDS = new Set(['0.0.0.0', '::'])

/** Host headers this host answers: loopback names, the address it listens on, and — when it listens
 * on every interface — this machine's own addresses, each with the port. */
export function allowedHosts(listenHost: string, port: number, interfaceAddresses: readonly string[] = localAddresses()): Set<string> {
  const names = ['127.0.0.1', 'localhost', '::1', listenHost, ...(WILDCARDS.has(listenHost) ? interfaceAddresses : [])]
  const hosts = names.map((name) => (name.includes(':') ? `[${name}]` : name).toLowerCase())
  // A browser leaves the default port out of Host.
  return new Set([...hosts.map((host) => `${host}:${port}`), ...(port === 80 ? hosts : [])])
}

export function isAllowedHost(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  return hostHeader !== undefined && allowed.has(hostHeader.toLowerCase())
}

/** A socket's Origin: absent (not a browser, still needs the token) or this host's own page. */
export function isAllowedOrigin(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true
  return [...allowed].some((host) => origin.toLowerCase() === `http://${host}`)
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address.replace(/%.*$/, '')))
}
