// Numbers as the Library shows them: counts with separators, rates, durations, areas, probabilities.

export { formatDuration } from '../../../src-shared/duration.ts'

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function formatCount(n: number): string {
  return integer.format(n)
}

export function formatRate(imagesPerSecond: number): string {
  return imagesPerSecond >= 10 ? imagesPerSecond.toFixed(0) : imagesPerSecond.toFixed(1)
}

/** Pixel areas compactly: 950, 12.4k, 1.3M. */
export function formatArea(px: number): string {
  if (px < 1000) return String(px)
  if (px < 1_000_000) return `${(px / 1000).toFixed(px < 10_000 ? 1 : 0)}k`
  return `${(px / 1_000_000).toFixed(1)}M`
}

export function formatProbability(p: number | null): string {
  return p === null ? '—' : p.toFixed(3)
}

export function formatPercent(done: number, total: number): string {
  return total === 0 ? '0 %' : `${Math.floor((100 * done) / total)} %`
}
