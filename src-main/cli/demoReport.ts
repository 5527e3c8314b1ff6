// What `coilscope demo` tells a new user: what it did, how well, how fast, where the files are and
// what to try next — one screen, each fact once.
import type { Score } from '../../src-shared/metrics.ts'
import type { InspectSummary } from './inspectSummary.ts'
import { formatClassScores } from './scoreCommand.ts'

export interface DemoReport {
  readonly summary: InspectSummary
  readonly score: Score
  /** Paths as the user should type them (relative to where they ran the demo). */
  readonly paths: { readonly folder: string; readonly truth: string; readonly submission: string; readonly db: string }
  /** Whether `npm run build` has produced the renderer that `serve` needs. */
  readonly isRendererBuilt: boolean
}

const MAX_FAILURES_LISTED = 3

export function formatDemoReport({ summary: s, score, paths, isRendererBuilt }: DemoReport): string {
  const provider = s.provider === 'cpu' ? 'the CPU' : (s.provider ?? 'no provider')
  const lines =
    s.inspected === 0 && s.alreadyDone > 0
      ? [`All ${s.alreadyDone} images were already inspected in ${paths.db} (delete it to inspect them again).`]
      : [
          `Inspected ${s.inspected} images with model set ${s.modelSet.id} ${s.modelSet.version} on ${provider} in ${s.seconds.toFixed(1)} s: ` +
            `${s.imagesPerSecond.toFixed(2)} images/s`,
          ...(s.providerFallback ? [`  CUDA not used: ${s.providerFallback}`] : []),
          `  the classifiers sent ${s.gatedIn} images to the segmenters and passed ${s.gatedOut} as clean`,
        ]
  if (s.errors.length > 0) {
    lines.push(`  ${s.errors.length} image(s) failed:`)
    for (const e of s.errors.slice(0, MAX_FAILURES_LISTED)) lines.push(`    ${e.file}: ${e.error}`)
    if (s.errors.length > MAX_FAILURES_LISTED) lines.push(`    … and ${s.errors.length - MAX_FAILURES_LISTED} more (npx coilscope inspect lists them all)`)
  }
  lines.push('', `Scored against ${paths.truth}: Kaggle mean Dice ${score.meanDice.toFixed(4)} over ${score.pairs} (image, class) pairs`, formatClassScores(score).trimEnd())
  const serve = `${isRendererBuilt ? '' : 'npm run build && '}npx coilscope serve --open --db ${paths.db}`
  lines.push(
    '',
    `Wrote ${paths.submission} (the predicted masks, Kaggle CSV) and ${paths.db} (every result); images in ${paths.folder}`,
    'Next:',
    `  ${serve}   review these results in your browser`,
    `  npm start${' '.repeat(Math.max(1, serve.length - 'npm start'.length))}   the desktop app: open ${paths.folder} in its Library and Run`,
  )
  return `${lines.join('\n')}\n`
}
