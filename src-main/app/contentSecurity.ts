// The renderer's Content-Security-Policy, one string for every place that sets it: the meta tag in
// src-renderer/index.html (a test keeps them equal), the app:// protocol's responses in Electron,
// and the web host's headers. No inline or eval'd script, no remote anything; binary data only
// from the app itself ('self') or the coil: protocol.
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' coil: data: blob:",
  "connect-src 'self' coil:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ')

/** As an HTTP header it can also forbid framing, which a meta tag cannot. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`
