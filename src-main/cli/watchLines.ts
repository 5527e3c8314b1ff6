// What `coilscope watch` prints: one line per finished image (stdout, for logs and pipes) and a
// periodic status line (stderr). Pure formatting.
import type { WatchHealth } from '../../src-shared/watchHealth.ts'
import type { ImageFinished } from '../queue/index.ts'

const stamp = (at: Date) => at.toISOString().replace(/\.\d+Z$/, 'Z')

export function formatImageLine(event: ImageFinished, relativePath: string, at: Date): string {
  const time = stamp(at)
  if (!event.ok) return `${time}  ${relativePath}  error  ${event.error}`
  const found = (event.classAreasPx ?? []).flatMap((area, index) => (area > 0 ? [`class ${index + 1}: ${area} px`] : []))
  const gate = event.gatedIn ? (found.length > 0 ? found.join(', ') : 'no defect') : 'gated out'
  return `${time}  ${relativePath}  ok  ${gate}${event.warning ? `  (warning: ${event.warning})` : ''}`
}

/** A file that will not be inspected (not an image, removed before its turn): an error line too. */
export function formatRejectedLine(relativePath: string, reason: string, at: Date): string {
  return `${stamp(at)}  ${relativePath}  error  ${reason}`
}

export function formatStatusLine(folder: string, health: WatchHealth, inspectedTotal: number): string {
  const since = health.secondsSinceLastImage === null ? 'no image yet' : `last image ${Math.round(health.secondsSinceLastImage)} s ago`
  const behind = health.isFallingBehind ? '  FALLING BEHIND: images arrive faster than they are inspected' : ''
  return (
    `watching ${folder}: ${inspectedTotal} inspected, backlog ${health.backlog}, ` +
    `${health.arrivalsPerMinute.toFixed(1)} arrived/min vs ${health.inspectionsPerMinute.toFixed(1)} inspected/min, ${since}${behind}`
  )
}
