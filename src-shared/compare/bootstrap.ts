// A percentile bootstrap over images with a seeded generator, so the same comparison prints the
// same interval on every machine. Every statistic of one comparison is resampled with the same
// seed, hence the same image draws: the intervals are paired across classes and measures.
import { seededRandom } from '../seededRandom.ts'

export interface BootstrapOptions {
  readonly seed: number
  /** Resamples drawn (1000 by default). */
  readonly resamples?: number
  /** Two-sided level of the interval (0.95 by default). */
  readonly level?: number
}

export interface Interval {
  /** The statistic on the images as they are. */
  readonly estimate: number
  readonly low: number
  readonly high: number
  readonly level: number
}

/**
 * The statistic over all `count` items, and its percentile interval over resamples drawn with
 * replacement. `statistic` receives the indices of one sample and returns NaN when it is undefined
 * for that sample (e.g. a detection rate over a sample without defects); such samples are skipped.
 * Null when the statistic is undefined on the items as they are.
 */
export function bootstrapInterval(count: number, statistic: (indices: Uint32Array) => number, options: BootstrapOptions): Interval | null {
  const level = options.level ?? 0.95
  const all = Uint32Array.from({ length: count }, (_, i) => i)
  const estimate = statistic(all)
  if (count === 0 || Number.isNaN(estimate)) return null
  const random = seededRandom(options.seed)
  const values: number[] = []
  const sample = new Uint32Array(count)
  for (let r = 0; r < (options.resamples ?? 1000); r++) {
    for (let i = 0; i < count; i++) sample[i] = Math.floor(random() * count)
    const value = statistic(sample)
    if (!Number.isNaN(value)) values.push(value)
  }
  values.sort((a, b) => a - b)
  const tail = (1 - level) / 2
  return { estimate, low: quantile(values, tail), high: quantile(values, 1 - tail), level }
}

/** Linear interpolation between order statistics (type 7, the usual default). */
function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo])
}
