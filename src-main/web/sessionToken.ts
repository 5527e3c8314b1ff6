// The web host's session token: random per start, carried in the page's URL (?token=…), which the
// bridge passes on to the socket, and in the path of every /coil/ URL the page builds. No cookie:
// browsers send a 127.0.0.1 cookie to every port of that address, so another local service would
// receive it. `serve --open` hands the browser a one-time code instead of the token, so the token
// never appears on a command line.
import { randomBytes, timingSafeEqual } from 'node:crypto'

const CODE_LIFETIME_MS = 60_000

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** The prefix of /coil/ URLs for a token: the renderer builds every binary URL from it. */
export function coilBase(token: string): string {
  return `/coil/${token}/`
}

export function isSameToken(presented: string | null | undefined, expected: string): boolean {
  if (presented === null || presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Codes that each open the page once, within a minute of being made. */
export class OneTimeCodes {
  readonly #expiries = new Map<string, number>()
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  issue(): string {
    const code = randomBytes(18).toString('base64url')
    this.#expiries.set(code, this.#now() + CODE_LIFETIME_MS)
    return code
  }

  /** True once for a code issued less than a minute ago; the code is spent either way. */
  redeem(code: string): boolean {
    for (const [known, expiry] of this.#expiries) {
      if (!isSameToken(code, known)) continue
      this.#expiries.delete(known)
      return this.#now() <= expiry
    }
    return false
  }
}
