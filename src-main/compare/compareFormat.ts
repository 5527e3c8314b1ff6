// Numbers as the comparison prints them, shared by the text summary and the HTML report.
import type { Interval } from '../../src-shared/compare/bootstrap.ts'

export const fixed = (value: number | null, digits = 3): string => (value === null || Number.isNaN(value) ? '–' : value.toFixed(digits))

export const signed = (value: number, digits = 3): string => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`

/** "+0.012 [−0.004, +0.030]" or "–" when undefined. */
export function interval(value: Interval | null, digits = 3): string {
  return value === null ? '–' : `${signed(value.estimate, digits)} [${signed(value.low, digits)}, ${signed(value.high, digits)}]`
}

export const percent = (value: number | null): string => (value === null ? '–' : `${(100 * value).toFixed(1)} %`)
