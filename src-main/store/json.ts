// JSON as the store writes it: canonical (object keys sorted, no whitespace), so equal settings are
// equal strings and runs can be matched by a plain SQL comparison.

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

/** Columns are CHECKed json_valid by the schema; the caller names the type it wrote. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries.map(([key, v]) => [key, sortKeys(v)]))
}
