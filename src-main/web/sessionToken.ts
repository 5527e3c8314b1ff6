// The web host's session token: random per start, carried in the printed URL (?token=…) and, after
// the first request, in an HttpOnly same-site cookie so the page's own requests carry it too. The
// cookie is named per port, because browsers share cookies between ports of one host.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export function cookieName(port: number): string {
  return `coilscope_${port}`
}

/** The token the request presents: the query's, else the cookie's. */
export function presentedToken(request: IncomingMessage, port: number): { token: string | null; isFromQuery: boolean } {
  const url = new URL(request.url ?? '/', 'http://localhost')
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return { token: fromQuery, isFromQuery: true }
  const name = cookieName(port)
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return { token: value.join('='), isFromQuery: false }
  }
  return { token: null, isFromQuery: false }
}

export function isSameToken(presented: string | null, expected: string): boolean {
  if (presented === null) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`
}
