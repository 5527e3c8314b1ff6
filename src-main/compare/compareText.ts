// The comparison as text for a terminal: both sides, the per-class table, B − A with its interval
// when there is truth, the most-disagreeing images and the dispositions that would change.
import type { CompareResult } from './index.ts'
import { fixed, interval, percent } from './compareFormat.ts'

export function formatCompareText(result: CompareResult, top = 10): string {
  const { comparison: c, a, b } = result
  const name = (classId: number) => a.modelSet.classes.find((k) => k.id === classId)?.name ?? String(classId)
  const lines = [
    `source ${result.source.folderPath}: ${c.images} images compared` + (result.missingA + result.missingB > 0 ? ` (${result.missingA} without a result in A, ${result.missingB} in B)` : ''),
    `A: ${a.label}`,
    `B: ${b.label}`,
    '',
    'class                      A∪B  both  only A  only B  Dice(A,B)  area B/A',
    ...c.agreement.map((k) => `${name(k.classId).padEnd(24).slice(0, 24)} ${String(k.imagesEither).padStart(5)} ${String(k.imagesBoth).padStart(5)} ${String(k.onlyA).padStart(7)} ${String(k.onlyB).padStart(7)} ${fixed(k.meanDiceAB).padStart(10)} ${fixed(k.areaRatio, 2).padStart(9)}`),
  ]
  if (c.truth) {
    lines.push('', `truth: ${result.truth.description} (${c.truth.images} images); B − A with ${100 * result.bootstrap.level} % bootstrap interval (${result.bootstrap.resamples} resamples, seed ${result.bootstrap.seed})`)
    lines.push('class                    Dice A  Dice B  B − A                      detect A→B       false pos. A→B')
    for (const k of c.truth.perClass) {
      lines.push(`${name(k.classId).padEnd(24).slice(0, 24)} ${fixed(k.a.meanDice).padStart(6)}  ${fixed(k.b.meanDice).padStart(6)}  ${interval(k.meanDiceDiff).padEnd(26)} ${`${percent(k.a.detectionRecall)}→${percent(k.b.detectionRecall)}`.padEnd(16)} ${percent(k.a.falsePositiveRate)}→${percent(k.b.falsePositiveRate)}`)
    }
    lines.push(`mean Dice: A ${fixed(c.truth.meanDiceA)}, B ${fixed(c.truth.meanDiceB)}, B − A ${interval(c.truth.meanDiceDiff)}`)
  } else {
    lines.push('', `truth: ${result.truth.description}`)
  }
  const differing = c.ranking.filter((r) => r.score > 0)
  lines.push('', `images where A and B differ: ${differing.length} of ${c.images}; most first:`)
  for (const r of differing.slice(0, top)) lines.push(`  ${fixed(r.score).padStart(6)}  ${String(r.differingPx).padStart(8)} px  ${r.name}  (most in ${name(r.worstClassId!)})`)
  const d = result.dispositions
  if (d.ruleSet) {
    lines.push('', `dispositions (rule set ${d.ruleSet.name} v${d.ruleSet.version}): ${d.changes.length} of ${d.coils} coils would change`)
    for (const change of d.changes) lines.push(`  ${change.coil}: ${change.a} → ${change.b}`)
  }
  return `${lines.join('\n')}\n`
}
